"""Small brief files for upload tests."""

from __future__ import annotations

NEW_BRIEF = b"""---
title: "Caspian grain corridor talks"
date: 2024-05-02
outlet: "Test Wire"
---

# Caspian grain corridor talks

Russia and Iran agreed on 2 May 2024 to expand grain shipments across the Caspian Sea, officials
in Moscow and Tehran said. The two governments signed a memorandum on port fees at Astrakhan
and Anzali and promised a joint working group on rail links through Azerbaijan.

Iranian traders complained that Russian exporters still demand payment in dollars, a sign
that the settlement in national currencies is slower than announced.
"""

PINGING_BRIEF = b"""---
title: "@everyone Kazan summit note <@123456789012345678>"
date: 2024-06-10
outlet: "Ping Wire"
---

# Kazan summit note

@everyone Russia and Iran discussed the Kazan summit agenda in Tehran on 10 June 2024;
<@123456789012345678> and <@&987654321098765432> were mentioned in the draft. Moscow and
Tehran agreed to coordinate their positions on the North-South transport corridor @here.
"""

BROKEN_PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
    b"this is not a real pdf \x00\x01\x02"
)
