import blocwatch


def test_public_api_is_pinned():
    assert sorted(blocwatch.__all__) == [
        "BlocwatchError", "DatasetImportError", "DateError", "ExpressionError", "PartialDate",
        "QueryError", "ReferenceDataError", "Store", "StoreError", "UnknownEntityError",
        "connect", "history", "holder", "import_cow_igo", "init", "load_reference", "members",
        "open_store", "parse_date", "resolve", "resolve_one",
    ]
    for name in blocwatch.__all__:
        assert getattr(blocwatch, name) is not None
