import blocwatch


def test_public_api_is_pinned():
    assert sorted(blocwatch.__all__) == [
        "BlocwatchError", "DatasetImportError", "DateError", "ExpressionError", "PartialDate",
        "QueryError", "ReferenceDataError", "Store", "StoreError", "UnknownEntityError",
        "accession", "analyze", "connect", "copresence", "doctor", "explain", "export", "facts",
        "history", "holder", "import_cow_igo", "ingest", "init", "load_reference", "members",
        "open_store", "overlap", "parse_date", "related", "resolve", "resolve_one",
    ]
    for name in blocwatch.__all__:
        assert getattr(blocwatch, name) is not None
