"""The Claims pane's screens, forms and widgets (the pane itself: ``ui/panes/claims.py``).

- ``bucket_chart``: the A/R aging totals and a bar per bucket, above the queue
- ``rows``: how a claim row, money and ages read on screen
- ``actions``: the keys shared by the queue and a claim's screen (ready, status, payment,
  write-off, assign, follow-up, note, charges, balance)
- ``claim_screen``: one claim: lines, diagnoses, scrubber problems, money, history
- ``charge_form`` (+ ``dx_field``, ``line_fields``): entering a visit's charges
- ``payment_forms``: a payer's payment per line, a patient's payment
- ``small_forms``: status change, assign, follow-up, note, write-off, statement folder
- ``visits``: completed visits without a claim; ``balance``: a patient's balance
"""
