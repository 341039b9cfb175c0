#!/usr/bin/env python3
"""A second NAACCR XML reader for comparison: Python's xml.etree.ElementTree.iterparse (expat in C), the
usual way to stream large XML in Python. Builds each patient's items and tumors as dicts (no validation),
frees elements as it goes, and prints the counts and the time taken as JSON."""
import json, sys, time
import xml.etree.ElementTree as ET

NS = "{http://naaccr.org/naaccrxml}"
PATIENT, TUMOR, ITEM = NS + "Patient", NS + "Tumor", NS + "Item"
start = time.perf_counter()
patients = tumors = items = 0
patient, tumor = None, None
for event, element in ET.iterparse(sys.argv[1], events=("start", "end")):
    tag = element.tag
    if event == "start":
        if tag == PATIENT:
            patient = {"items": {}, "tumors": []}
        elif tag == TUMOR:
            tumor = {}
        continue
    if tag == ITEM:
        items += 1
        target = tumor if tumor is not None else patient["items"] if patient is not None else {}
        target[element.get("naaccrId")] = element.text or ""
    elif tag == TUMOR:
        patient["tumors"].append(tumor)
        tumor = None
        tumors += 1
    elif tag == PATIENT:
        patients += 1
        patient = None
        element.clear()
print(json.dumps({"patients": patients, "tumors": tumors, "items": items, "seconds": time.perf_counter() - start}))
