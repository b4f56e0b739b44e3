"""BPJS Kesehatan: the facility-side WS Antrean that Mobile JKN calls (`ws.py`), and the
outbound antreanrest calls (tambah antrean, update waktu, batal) sent from the outbox
(`outbound.py`). Followed: BPJS "Katalog WS Antrean RS" (Web Service Antrean - RS,
diakses oleh Mobile JKN; Web Service Antrean - BPJS, diakses oleh sistem RS), the
version with the pharmacy queue (antrean farmasi, jenisresep)."""
