#!/usr/bin/env python3
"""Reads an iCalendar file with python3-icalendar and prints its VTODOs as JSON (summary, description, due, uid).
Exit 1 when it is not a calendar, a VTODO lacks UID, DUE, SUMMARY or DESCRIPTION, or two share a UID."""
import json
import sys

from icalendar import Calendar

with open(sys.argv[1], "rb") as f:
    cal = Calendar.from_ical(f.read())
if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
    sys.exit(f"{sys.argv[1]}: not an iCalendar 2.0 calendar")
todos, uids = [], set()
for todo in cal.walk("VTODO"):
    for prop in ("UID", "DTSTAMP", "DUE", "SUMMARY", "DESCRIPTION"):
        if todo.get(prop) is None:
            sys.exit(f"{sys.argv[1]}: a VTODO without {prop}")
    uid = str(todo["UID"])
    if uid in uids:
        sys.exit(f"{sys.argv[1]}: UID {uid} twice")
    uids.add(uid)
    todos.append({"uid": uid, "summary": str(todo["SUMMARY"]), "description": str(todo["DESCRIPTION"]),
                  "due": todo.decoded("DUE").isoformat()})
print(json.dumps(todos))
