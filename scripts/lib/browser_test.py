#!/usr/bin/env python3
"""A registrar's session in a real browser (Chromium, driven through the W3C WebDriver protocol by chromedriver):
sign in, open an abstract, type an invalid site/histology pair, see the inline edit message, fix it, save.

Usage: browser_test.py BASE_URL USER PASSWORD SCREENSHOT_DIR   (chromedriver on PATH)"""
import base64, json, os, socket, subprocess, sys, time, urllib.error, urllib.parse, urllib.request

base, user, password, shots = sys.argv[1:5]

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

port = free_port()
driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wd = f"http://127.0.0.1:{port}"

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(wd + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["value"]

def wait(condition, what, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = condition()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.1)
    screenshot("failure")
    raise SystemExit(f"FAIL: timed out waiting for {what}")

for _ in range(50):
    try:
        call("GET", "/status"); break
    except Exception:
        time.sleep(0.1)
session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
    "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]},
    # Leaving a page with unsaved changes asks first (beforeunload): the test accepts, as a registrar who reloads on purpose.
    "unhandledPromptBehavior": "accept"}}})["sessionId"]
S = f"/session/{session}"

def go(url): call("POST", S + "/url", {"url": url})
def find(css): return call("POST", S + "/element", {"using": "css selector", "value": css})["element-6066-11e4-a52e-4f735466cecf"]
def finds(css): return [e["element-6066-11e4-a52e-4f735466cecf"] for e in call("POST", S + "/elements", {"using": "css selector", "value": css})]
def text(element): return call("GET", f"{S}/element/{element}/text")
def prop(element, name): return call("GET", f"{S}/element/{element}/property/{name}")
def clear(element): call("POST", f"{S}/element/{element}/clear", {})
def type_(element, keys): call("POST", f"{S}/element/{element}/value", {"text": keys})
def click(element): call("POST", f"{S}/element/{element}/click", {})
def script(js, *args): return call("POST", S + "/execute/sync", {"script": js, "args": list(args)})
def press(element):
    """Keyboard activation (focus, Enter): what a registrar does, and never intercepted by the sticky status bar."""
    script("arguments[0].focus();", {"element-6066-11e4-a52e-4f735466cecf": element})
    type_(element, "\ue007")
def api(method, path, token, body=None, headers=None):
    """The JSON API as another registrar would use it (a bearer session of its own)."""
    data = json.dumps(body).encode() if body is not None else None
    h = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    h.update(headers or {})
    request = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
def screenshot(name):
    try:
        with open(os.path.join(shots, f"{name}.png"), "wb") as f:
            f.write(base64.b64decode(call("GET", S + "/screenshot")))
    except Exception:
        pass

try:
    # Signing in with the keyboard alone: type the user name, Tab to the password, Enter submits.
    go(base + "/signin")
    type_(wait(lambda: find("#username"), "the sign-in form"), user)
    call("POST", S + "/actions", {"actions": [{"type": "key", "id": "k", "actions": [{"type": "keyDown", "value": "\ue004"}, {"type": "keyUp", "value": "\ue004"}]
        + [a for ch in password + "\ue007" for a in ({"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch})]}]})
    wait(lambda: "Worklist" in call("GET", S + "/title") or finds("header .who"), "the worklist after sign-in")
    go(base + "/?tab=all")
    click(wait(lambda: finds("tbody a")[0], "a patient in the worklist"))
    click(wait(lambda: [a for a in finds("tbody a") if "/tumors/" in prop(a, "href")][0], "a tumor on the patient page"))
    form = wait(lambda: find("#abstract"), "the abstract form")
    wait(lambda: "All edits pass" in text(find("#edits")) or finds("#edits li"), "the first edit check")
    screenshot("1-abstract")

    histology = find("#f-histologicTypeIcdO3")
    original = prop(histology, "value")
    site = prop(find("#f-primarySite"), "value")
    wrong = "8170" if not site.startswith("C22") else "8500"
    clear(histology); type_(histology, wrong)
    message = wait(lambda: [li for li in finds("#edits li") if "IF25" in text(li)], "the inline IF25 message")
    field_message = text(find('.field[data-item="histologicTypeIcdO3"] .messages'))
    assert "IF25" in field_message, f"the histology field should show the IF25 message, shows {field_message!r}"
    screenshot("2-inline-edit")
    print(f"inline edit shown: {text(message[0])}")

    clear(histology); type_(histology, original)
    wait(lambda: not [li for li in finds("#edits li") if "IF25" in text(li)], "the IF25 message to go away")
    grade = find("#f-gradeClinical")
    new_grade = "3" if prop(grade, "value") != "3" else "2"
    clear(grade); type_(grade, new_grade)
    # A patient item too (demographics are saved on the patient, with its own version).
    origin = find("#f-spanishHispanicOrigin")
    new_origin = "9" if prop(origin, "value") != "9" else "0"
    clear(origin); type_(origin, new_origin)
    version = prop(form, "dataset")["version"] if isinstance(prop(form, "dataset"), dict) else None
    call("POST", S + "/actions", {"actions": [{"type": "key", "id": "k", "actions": [
        {"type": "keyDown", "value": "\ue00a"}, {"type": "keyDown", "value": "s"}, {"type": "keyUp", "value": "s"}, {"type": "keyUp", "value": "\ue00a"}]}]})
    status = wait(lambda: [t for t in [text(find("#status"))] if t.startswith("Saved") or t.startswith("Not saved")], "the save")
    if not status[0].startswith("Saved"):  # Alt+S is browser-dependent: fall back to the button
        click(find('button[type="submit"]'))
        status = wait(lambda: [t for t in [text(find("#status"))] if t.startswith("Saved")], "the save")
    screenshot("3-saved")
    print(f"saved: {status[0]}")
    assert "spanishHispanicOrigin" in status[0] and "gradeClinical" in status[0], f"both records should be saved: {status[0]}"
    wait(lambda: [li for li in finds("#revisions li") if "gradeClinical" in text(li)], "the revision history to show the change")
    print("PASS: sign in, inline edit shown and cleared, saved, revision listed")

    # The whole abstract: a laterality picked by its label, a partial date, a text field with its count, saved together.
    tumor_url = call("GET", S + "/url")
    tumor_id = tumor_url.rstrip("/").split("/")[-1]
    wait(lambda: script("return !!document.getElementById('cl-laterality')"), "the pickers (/static/pickers.html)")
    # Picked by its words: on a paired organ the other side ("Left" or "Right"); elsewhere the label the site's code has.
    laterality = find("#f-laterality")
    current = prop(laterality, "value")
    wanted = "Right" if current == "1" else "Left" if current == "2" else script(
        "return ([...document.getElementById('cl-laterality').options].find(o => o.value === arguments[0]) || {label: ''}).label.slice(0, 12)", current)
    left = script("return [...document.getElementById('cl-laterality').options].find(o => o.label.startsWith(arguments[0])).value", wanted)
    clear(laterality); type_(laterality, left)
    wait(lambda: text(find("#d-laterality")).startswith(wanted), "the laterality's label")
    # The county picker and label follow the abstract's state (the demo's Kansas: 105 counties and 998/999), not the
    # one state's list NAACCR publishes; typing another Kansas code shows its name.
    county = find("#f-countyAtDx")
    options = script("return [...document.getElementById('counties').options].map(o => o.value + ' ' + o.label)")
    assert len(options) == 107 and text(find("#d-countyAtDx")).endswith("County"), f"counties of the state: {len(options)} {text(find('#d-countyAtDx'))}"
    original_county = prop(county, "value")
    clear(county); type_(county, "209")
    wait(lambda: text(find("#d-countyAtDx")) == "Wyandotte County", "the county's name in its state")
    clear(county); type_(county, original_county)
    completed = find("#f-dateCaseCompleted")
    clear(completed); type_(completed, "2025-03")
    wait(lambda: "March 2025 (day unknown)" in text(find("#d-dateCaseCompleted")), "the partial date in words")
    remarks = find("#f-textRemarks")
    clear(remarks); type_(remarks, "Mammogram 3/2025: 2 cm mass UOQ; core biopsy IDC.")
    wait(lambda: text(find("#c-textRemarks")).startswith("49 /"), "the text's character count")
    click(find('button[type="submit"]'))
    saved = wait(lambda: [t for t in [text(find("#status"))] if t.startswith("Saved") or t.startswith("Not saved")], "the whole abstract saved")
    assert saved[0].startswith("Saved"), saved[0]
    token = json.loads(urllib.request.urlopen(urllib.request.Request(base + "/api/session", data=json.dumps(
        {"username": user, "password": password, "bearerToken": True}).encode(), headers={"Content-Type": "application/json"}), timeout=30).read())["token"]
    status, stored = api("GET", f"/api/tumors/{tumor_id}", token)
    assert stored["items"].get("laterality") == left and stored["items"].get("dateCaseCompleted") == "202503", stored["items"]
    assert stored["items"].get("textRemarks", "").startswith("Mammogram"), "the text was saved"
    print("PASS: a laterality picked by its label, the county from its state's list, a partial date (stored 202503) and a text field saved")

    # The staging schema follows the site and histology while typing (before any save): its SSDIs appear, typing in
    # them is kept, and the original site brings the original section back.
    site_input, histology_input = find("#f-primarySite"), find("#f-histologicTypeIcdO3")
    old_site, old_histology = prop(site_input, "value"), prop(histology_input, "value")
    old_schema = text(find("#schema-block .schema"))
    new_site, new_histology, ssdi, schema_name = (("C341", "8140", "separateTumorNodules", "Lung") if old_site.startswith("C50")
                                                  else ("C504", "8500", "estrogenReceptorSummary", "Breast"))
    clear(site_input); type_(site_input, new_site)
    clear(histology_input); type_(histology_input, new_histology)
    click(find("#f-laterality"))
    wait(lambda: schema_name in text(find("#schema-block .schema")) and finds(f"#f-{ssdi}"), f"the {schema_name} schema's items, live")
    assert finds(f"#f-{ssdi}[list]"), "the SSDI has its picker"
    print(f"live schema: {text(find('#schema-block .schema'))}")
    clear(site_input); type_(site_input, old_site)
    clear(histology_input); type_(histology_input, old_histology)
    click(find("#f-laterality"))
    wait(lambda: text(find("#schema-block .schema")) == old_schema, "the original schema back")
    assert not script("return document.querySelector('#abstract') && [...document.querySelectorAll('#abstract [name]')].some(i => !i.readOnly && i.value !== i.defaultValue)"), \
        "the form is as stored again"
    print("PASS: the staging schema's items appear and go while the site and histology are typed")

    # Someone else saves while this registrar types: the comparison keeps the registrar's value, then it saves.
    grade = find("#f-gradePathological")
    before_grade = prop(grade, "value")
    mine = "2" if before_grade != "2" else "3"
    theirs = next(code for code in ["1", "9", "4"] if code not in (before_grade, mine))
    clear(grade); type_(grade, mine)
    code, other = api("PUT", f"/api/tumors/{tumor_id}", token, {"items": {"gradePathological": theirs}}, {"If-Match": f'"{stored["version"]}"'})
    assert code == 200, (code, other)
    click(find('button[type="submit"]'))
    wait(lambda: not prop(find("#conflict"), "hidden"), "the side-by-side comparison after a 409")
    rows = [text(r) for r in finds("#conflict-rows tr")]
    assert any(r.startswith("gradePathological") and f" {mine} " in f" {r} " for r in rows), rows
    screenshot("2b-conflict")
    press(find("#conflict-apply"))
    click(find('button[type="submit"]'))
    wait(lambda: text(find("#status")).startswith("Saved"), "the save after choosing")
    status, after = api("GET", f"/api/tumors/{tumor_id}", token)
    assert after["items"].get("gradePathological") == mine, after["items"].get("gradePathological")
    print("PASS: a 409 showed both values; the registrar's value was kept and saved")

    # Typing is never lost: a reload offers the unsaved change back.
    clear(remarks); type_(remarks, "Typed but not saved.")
    time.sleep(2.2)  # the working draft is kept after a pause in typing
    go(tumor_url)
    wait(lambda: not prop(find("#draft-offer"), "hidden"), "the draft offered after a reload")
    click(find("#draft-restore"))
    wait(lambda: prop(find("#f-textRemarks"), "value") == "Typed but not saved.", "the draft restored")
    click(find('button[type="submit"]'))
    wait(lambda: text(find("#status")).startswith("Saved"), "the restored draft saved")
    print("PASS: a draft was offered after reload and restored")

    # A new patient: the duplicate check warns about a stored patient with the same name and birth date; created anyway
    # (a different person), the first primary opens; marking it complete is refused while required items are missing.
    go(base + f"/patients/{stored['patientId']}")
    title = text(wait(lambda: find("h1"), "the patient page"))
    last, first = [part.strip() for part in title.split(" patient ")[0].split(",", 1)]
    born = [text(dd) for dd in finds("dl.facts dd")][0]
    go(base + "/patients/new")
    type_(wait(lambda: find("#np-last"), "the new patient form"), last); type_(find("#np-first"), first); type_(find("#np-birth"), born)
    click(find('#new-patient button[type="submit"]'))
    wait(lambda: not prop(find("#duplicates"), "hidden"), "the duplicate warning")
    assert [li for li in finds("#duplicate-list li") if "last name and date of birth" in text(li)], "the stored patient is listed"
    screenshot("7-duplicate-warning")
    clear(find("#np-last")); type_(find("#np-last"), "Ñúñez"); clear(find("#np-first")); type_(find("#np-first"), "Ángela")
    clear(find("#np-birth")); type_(find("#np-birth"), "1961-07-04")
    click(find("#create-anyway"))
    wait(lambda: "/tumors/" in call("GET", S + "/url") and finds("#abstract"), "the new patient's first abstract")
    accession = prop(find("#f-accessionNumberHosp"), "value")
    assert len(accession) == 9 and prop(find("#f-sequenceNumberHospital"), "value") == "00", accession
    wait(lambda: "Checking" not in text(find("#edits")), "the edit check of the new abstract")
    click(find("#mark-complete"))
    refusal = wait(lambda: [t for t in [text(find("#status"))] if t.startswith("Not marked complete")], "the refusal to mark it complete")
    assert "required item" in refusal[0], refusal[0]
    print(f"PASS: duplicate warning, new patient (accession {accession}), complete refused: {refusal[0][:90]}")

    # A second primary for the same patient: same accession number, the next sequence number.
    go(base + "/")
    type_(wait(lambda: find("#q"), "the search box"), "ñúñez" + "\ue007")
    click(wait(lambda: [a for a in finds("tbody a") if "/patients/" in prop(a, "href")][0], "Ñúñez found from the header search"))
    click(wait(lambda: find("#add-primary"), "the Add a primary button"))
    wait(lambda: "/tumors/" in call("GET", S + "/url") and finds("#abstract"), "the second primary's abstract")
    assert prop(find("#f-accessionNumberHosp"), "value") == accession, "one accession number per patient"
    assert prop(find("#f-sequenceNumberHospital"), "value") == "02", prop(find("#f-sequenceNumberHospital"), "value")
    # "last, first" from the header box (the form sends "+" for the space).
    go(base + "/")
    type_(wait(lambda: find("#q"), "the search box"), f"{last.lower()}, {first.lower()}" + "\ue007")
    wait(lambda: [a for a in finds("tbody a") if prop(a, "href").endswith(f"/patients/{stored['patientId']}")], f"'{last}, {first}' found")
    print("PASS: a second primary shares the accession number (sequence 02); 'ñúñez' and 'last, first' found from the header")

    # Casefinding: a pathology report put on the list from the form, decided reportable: an abstract pre-filled from it.
    click(wait(lambda: [a for a in finds("header nav a") if text(a) == "Casefinding"][0], "the Casefinding link"))
    wait(lambda: finds("#casefinding-report"), "the casefinding page")
    script("document.getElementById('cf-source').value = 'pathology';")
    type_(find("#cf-last"), "Haugen"); type_(find("#cf-first"), "Sigrid"); type_(find("#cf-born"), "1952-09-30")
    type_(find("#cf-mrn"), "MR-90211"); type_(find("#cf-site"), "C343"); type_(find("#cf-histology"), "8140/3")
    click(find('#casefinding-report button[type="submit"]'))
    row = wait(lambda: [r for r in finds("#casefinding tbody tr") if "Haugen" in text(r)][0], "the report on the list")
    press([b for b in finds("#casefinding button[data-decide]") if text(b).startswith("Reportable")][-1])
    wait(lambda: "/tumors/" in call("GET", S + "/url") and finds("#abstract"), "the abstract made from the report")
    assert prop(find("#f-primarySite"), "value") == "C343" and prop(find("#f-histologicTypeIcdO3"), "value") == "8140", "pre-filled from the report"
    assert prop(find("#f-medicalRecordNumber"), "value") == "MR-90211"
    print("PASS: a casefinding report turned into an abstract pre-filled from it")

    # Follow-up: the control list, a letter marked sent, a contact recorded on its page; the patient leaves the list.
    click(wait(lambda: [a for a in finds("header nav a") if text(a) == "Follow-up"][0], "the Follow-up link"))
    wait(lambda: finds("#followup tbody tr"), "the control list's rows")
    sent = [b for b in finds("#followup button[data-attempt]")]
    if sent:
        click(sent[0])
        wait(lambda: [td for td in finds("#followup td") if "(last " in text(td)], "the letter shown as sent")
    record = wait(lambda: [a for a in finds("#followup a") if text(a) == "Record contact"][0], "a Record contact link")
    patient = prop(record, "href").rstrip("/").split("/")[-1]
    click(record)
    wait(lambda: finds("#followup-contact"), "the follow-up form")
    call("POST", S + "/execute/sync", {"script": "document.getElementById('fu-date').value = arguments[0];", "args": [time.strftime("%Y-%m-%d")]})
    click(find('#followup-contact button[type="submit"]'))
    wait(lambda: text(find("#fu-status")).startswith("Recorded"), "the contact recorded", timeout=20)
    screenshot("3b-followup-recorded")
    wait(lambda: finds("#followup"), "back on the control list")
    assert not [a for a in finds("#followup a") if prop(a, "href").endswith(f"/patients/{patient}")], "the patient is current now"
    print("PASS: follow-up: a letter marked sent, a contact recorded, the patient off the control list")

    # The submitter: sign out, sign in as demo-submitter, preview the state file, build it, mark it accepted.
    click(find("#signout"))
    wait(lambda: finds("#username"), "the sign-in page after signing out")
    type_(find("#username"), "demo-submitter"); type_(find("#password"), password); click(find('form button[type="submit"]'))
    wait(lambda: finds("header .who"), "the worklist after the submitter signs in")
    click(wait(lambda: [a for a in finds("header nav a") if text(a) == "Submissions"][0], "the Submissions link"))
    click(wait(lambda: [a for a in finds("a") if "destination=state" in (prop(a, "href") or "")][0], "the state preview link"))
    # The demo's state submission was accepted and five abstracts changed since: the preview sends those.
    changed = wait(lambda: [r for r in finds("tr") if text(r).startswith("Changed since")], "the preview's counts")
    assert int(text(changed[0]).split()[-1]) > 0, text(changed[0])
    screenshot("4-preview")
    click(find("#build"))
    row = wait(lambda: [r for r in finds("#history tbody tr") if "state" in text(r) and "generated" in text(r)], "the new submission in the history", timeout=60)
    assert [a for a in finds("#history a") if "/api/submissions/" in prop(a, "href")], "a download link"
    click([b for b in finds("#history button[data-status=accepted]")][0])
    wait(lambda: [r for r in finds("#history tbody tr") if "accepted" in text(r)], "the submission marked accepted")
    screenshot("5-submissions")
    print("PASS: the submitter previewed, built and marked a state submission")

    # A central registry's intake: the submitter receives a facility's file (one new case, far from complete, so the
    # incoming edits reject it) and finds it listed with its rejection report.
    facility_file = os.path.join(shots, "facility-FAC3.xml")
    with open(facility_file, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" '
                'recordType="A" specificationVersion="1.8" xmlns="http://naaccr.org/naaccrxml"><Item naaccrId="registryId">0000009999</Item>'
                '<Patient><Item naaccrId="patientIdNumber">93000001</Item><Tumor><Item naaccrId="primarySite">C504</Item>'
                '<Item naaccrId="sequenceNumberCentral">00</Item></Tumor></Patient></NaaccrData>\n')
    click(wait(lambda: [a for a in finds("header nav a") if text(a) == "Intake"][0], "the Intake link"))
    type_(wait(lambda: find("#in-facility"), "the intake form"), "FAC3")
    type_(find("#in-file"), os.path.abspath(facility_file))
    click(find('#intake-upload button[type="submit"]'))
    received = wait(lambda: [t for t in [text(find("#in-status"))] if t.startswith("Received") or t.startswith("Not received")], "the file received", timeout=30)
    assert received[0].startswith("Received") and "1 new" in received[0], received[0]
    row = wait(lambda: [r for r in finds("#intakes tbody tr") if "FAC3" in text(r)], "the intake listed", timeout=20)
    assert [a for a in finds("#intakes a") if "format=csv" in prop(a, "href")], "the rejection report's CSV link"
    assert not [a for a in finds("#intakes a") if "format=xml" in prop(a, "href")], "the records themselves are not the submitter's"
    screenshot("5b-intake")
    print(f"PASS: the submitter received a facility's file on the intake page ({received[0]})")

    # The committee's reviewer: the Reports page, last year's public annual report as a printable page.
    click(find("#signout"))
    wait(lambda: finds("#username"), "the sign-in page after the submitter signs out")
    type_(find("#username"), "demo-reviewer"); type_(find("#password"), password); click(find('form button[type="submit"]'))
    click(wait(lambda: [a for a in finds("header nav a") if text(a) == "Reports"][0], "the Reports link"))
    click(wait(lambda: finds('input[name="public"][value="1"]')[0], "the public option"))
    click(find('#annual button[type="submit"]'))
    heading = wait(lambda: [h for h in finds("h2") if text(h).startswith("Primary site table")], "the annual report's site table", timeout=60)
    marking = text(find(".marking"))
    assert marking.startswith("Public"), marking
    assert not [h for h in finds("h2") if text(h).startswith("Accession register")], "no register in the public report"
    cells = [text(td) for td in finds("td:not(:first-child)")]  # the first column holds labels (county codes)
    small = [c for c in cells if c.isdigit() and 1 <= int(c) <= 15]
    assert not small, f"public cells under 16 shown: {small[:5]}"
    screenshot("6-annual-report")
    print("PASS: the reviewer opened the public annual report (no count under 16, no register)")

    # The reviewer reads an abstract: no edit checks, no Save, labels shown; the history says old → new.
    go(base + f"/tumors/{tumor_id}")
    wait(lambda: finds("#abstract"), "the abstract as the reviewer sees it")
    assert not finds('#abstract button[type="submit"]') and not finds("#edits"), "a reviewer gets neither Save nor edit checks"
    assert "read only" in text(find("#status")), text(find("#status"))
    assert text(find("#d-laterality")), "the laterality's label is shown"
    wait(lambda: [li for li in finds("#revisions li") if "gradePathological" in text(li) and "→" in text(li)], "old → new in the history")
    screenshot("8-reviewer-abstract")
    print("PASS: the reviewer read the abstract (no Save, no checks) with old → new in its history")
finally:
    try:
        call("DELETE", S)
    except Exception:
        pass
    driver.terminate()
