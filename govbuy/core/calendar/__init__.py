"""The working-day calendar (PRC public holidays and make-up working days), one module per layer:
rules (the pure arithmetic every app counts statutory limits with), data (the bundled holiday
table), selectors and services (the city finance bureau edits it, audited), forms and views."""
