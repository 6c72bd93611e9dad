"""The interface in other languages: <lang>/LC_MESSAGES/casebook.po, compiled when first used."""
