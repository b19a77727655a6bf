"""Claims files: the claims queue talking to the outside world through standard files.

One module per job:

- ``segments``: X12 text read into segments (with lines, for messages) and written
- ``envelope``: the clearinghouse's ids and the control numbers (kept in the database)
- ``validation``: pyx12, the independent validator, through its Python API (lazily)
- ``x837p``, ``export``: the 837P writer, and sending ready claims (scrubbed, checked,
  marked sent with the file in their history); ``x837p_data``: what the writer takes
  (claims as plain data), ``x837p_load``: reading that from the database in batches
- ``x835``, ``remit``: reading an 835, and posting it (payments, adjustments, denials,
  PLB against the remittance, idempotent); ``reversal``: backing a payer's posting out
  (CLP02 = 22), which the claims package has no service for yet
- ``x999``, ``x277ca``, ``acks``: reading a 999 and a 277CA, and applying those
  acknowledgements to the claims (accepted / rejected, in plain words)
- ``status_codes``: the code lists those files use, in plain words
- ``x270``, ``x271``, ``eligibility``: eligibility questions and answers
- ``reports``: what reading a file did, for the command line and the screen
- ``inbox``: any incoming file, recognised by its kind; ``folders``: where files go
- ``files_view``: what the claims-files screen lists (files, rejected claims)

Nothing here imports pyx12 at import time.
"""
