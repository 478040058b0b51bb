"""Feed adapters: one module per source kind that opswall fetches itself (`http_poll`,
`sql_poll`, `mqtt`). Which adapter feeds a feed is declared once, in opswall/feeds/kinds.py."""
