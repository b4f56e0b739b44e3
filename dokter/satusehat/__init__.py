"""SATUSEHAT (Kemenkes, FHIR R4): the Encounter of a finished visit, sent from the outbox."""
