/// The workbench's stylesheet and its one script (served from /static so the content security policy needs no inline code).
enum StaticAssets {
    static let css = """
        :root { font-family: system-ui, sans-serif; font-size: 15px; color: #1d2430; background: #f6f7f9; }
        body { margin: 0; }
        header { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #1b3a5c; color: white; }
        header a { color: white; }
        header button { color: #1b3a5c; background: white; border: 0; padding: .25rem .6rem; font: inherit; cursor: pointer; }
        input[readonly] { background: #eef0f3; color: #404853; border: 1px solid #d3d8df; }
        header nav { display: flex; gap: 1rem; align-items: center; flex: 1; }
        header .search { flex: 1; } header .search input { width: 100%; max-width: 28rem; }
        .brand { font-weight: bold; text-decoration: none; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        table { border-collapse: collapse; width: 100%; background: white; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #dde1e7; }
        .tabs a { margin-right: 1rem; } .tabs a[aria-current] { font-weight: bold; }
        .bad { color: #b3261e; font-weight: bold; }
        fieldset { background: white; border: 1px solid #ccd3dc; margin: 0 0 1rem; display: grid;
                   grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .5rem 1rem; }
        legend { font-weight: bold; padding: 0 .3rem; }
        .field label { display: block; font-size: .85rem; } .field input { width: 100%; box-sizing: border-box; font: inherit; padding: .2rem; }
        .field input[type=checkbox] { width: auto; }
        .field.error input, .field.error textarea { border: 2px solid #b3261e; } .field.warning input { border: 2px dashed #c77700; }
        .field.text { grid-column: 1 / -1; } .field textarea { width: 100%; box-sizing: border-box; font: inherit; }
        .code-label, .count { display: block; font-size: .8rem; color: #44505e; min-height: 1em; }
        #edits li.warning { color: #8a5300; } #edits li.error { color: #b3261e; } #edits li.overridden { color: #6b7480; }
        .draft, .conflict { background: #fff4d6; border: 1px solid #e0b84a; padding: .5rem; }
        .schema { font-size: .85rem; color: #44505e; }
        .messages { display: block; font-size: .8rem; color: #b3261e; } .field.warning .messages { color: #8a5300; }
        .num { color: #6b7480; font-size: .75rem; }
        .status { position: sticky; top: 0; background: #fffbe6; padding: .3rem .5rem; margin-bottom: .5rem; }
        .error { color: #b3261e; } .sr { position: absolute; left: -9999px; }
        .signin { max-width: 22rem; margin: 3rem auto; background: white; padding: 1.5rem; }
        .signin input { display: block; width: 100%; margin-bottom: .8rem; font: inherit; }
        :focus-visible { outline: 3px solid #f2a900; outline-offset: 1px; }
        @media print { header, .actions, #edits { display: none; } }
        """

    static let javascript = #"""
        "use strict";
        // Sign out: DELETE the session with the CSRF token, then back to the sign-in page.
        document.addEventListener("DOMContentLoaded", () => {
          const signout = document.getElementById("signout");
          if (signout) signout.addEventListener("click", async () => {
            await fetch("/api/session", { method: "DELETE", headers: { "X-CSRF-Token": signout.dataset.csrf } });
            location.href = "/signin";
          });
          const form = document.getElementById("abstract");
          if (form) abstractForm(form);
          const revisions = document.getElementById("revisions");
          if (revisions) loadRevisions(revisions);
          const history = document.getElementById("history");
          if (history) history.addEventListener("click", async (event) => {
            const button = event.target.closest("button[data-mark]");
            if (!button) return;
            const response = await fetch(`/api/submissions/${button.dataset.mark}/status`, { method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": history.dataset.csrf }, body: JSON.stringify({ status: button.dataset.status }) });
            if (response.ok) location.reload(); else button.textContent = "Not saved";
          });
          const followup = document.getElementById("followup");
          if (followup) followup.addEventListener("click", async (event) => {
            const button = event.target.closest("button[data-attempt]");
            if (!button) return;
            button.disabled = true;
            const response = await fetch(`/api/patients/${button.dataset.attempt}/followup/attempts`, { method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": followup.dataset.csrf }, body: JSON.stringify({ method: button.dataset.method }) });
            if (response.ok) location.reload(); else { button.textContent = "Not recorded"; button.disabled = false; }
          });
          const contact = document.getElementById("followup-contact");
          if (contact) contact.addEventListener("submit", async (event) => {
            event.preventDefault();
            const status = document.getElementById("fu-status");
            const cancerStatus = {};
            for (const select of contact.querySelectorAll("select.cancer-status")) cancerStatus[select.dataset.tumor] = select.value;
            const body = { date: contact.elements.date.value, source: contact.elements.source.value, vitalStatus: contact.elements.vitalStatus.value,
                           cancerStatus, causeOfDeath: contact.elements.causeOfDeath.value.trim(), nextFollowUpSource: contact.elements.nextFollowUpSource.value };
            status.textContent = "Recording…";
            const response = await fetch(`/api/patients/${contact.dataset.patient}/followup`, { method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": contact.dataset.csrf }, body: JSON.stringify(body) });
            const result = await response.json();
            if (response.ok) { status.textContent = `Recorded: last contact ${result.dateOfLastContact}`; setTimeout(() => { location.href = "/followup"; }, 800); }
            else status.textContent = `Not recorded: ${result.error ? result.error.message : "error"}`;
          });
          const reports = document.getElementById("casefinding");
          if (reports) reports.addEventListener("click", async (event) => {
            const button = event.target.closest("button[data-decide]");
            if (!button) return;
            const row = button.closest("tr"), status = document.getElementById("cf-status");
            const body = { decision: button.dataset.decide };
            if (body.decision === "not reportable") body.reason = row.querySelector("input.reason").value.trim();
            if (body.decision === "duplicate") body.tumorId = +row.querySelector("input.tumor").value;
            button.disabled = true;
            const response = await fetch(`/api/casefinding/${row.dataset.report}/decision`, { method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": reports.dataset.csrf }, body: JSON.stringify(body) });
            const result = await response.json();
            if (!response.ok) { status.textContent = `Not decided: ${result.error.message}`; button.disabled = false; return; }
            if (result.tumorId) location.href = `/tumors/${result.tumorId}`; else location.reload();
          });
          const report = document.getElementById("casefinding-report");
          if (report) report.addEventListener("submit", async (event) => {
            event.preventDefault();
            const body = {};
            for (const input of report.querySelectorAll("[name]")) { const v = naaccrOf(input, input.value); if (v) body[input.name] = v; }
            const response = await fetch("/api/casefinding", { method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": report.dataset.csrf }, body: JSON.stringify(body) });
            const result = await response.json();
            if (response.ok) location.reload(); else document.getElementById("cf-status").textContent = `Not added: ${result.error.message}`;
          });
          const newPatient = document.getElementById("new-patient");
          if (newPatient) newPatientForm(newPatient);
          const addPrimary = document.getElementById("add-primary");
          if (addPrimary) addPrimary.addEventListener("click", async () => {
            const status = document.getElementById("add-status");
            addPrimary.disabled = true;
            const response = await fetch(`/api/patients/${addPrimary.dataset.patient}/primaries`, { method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": addPrimary.dataset.csrf }, body: JSON.stringify({ items: {} }) });
            const body = await response.json();
            if (!response.ok) { status.textContent = `Not added: ${body.error.message}`; addPrimary.disabled = false; return; }
            status.textContent = `Added: accession ${body.accessionNumber}, sequence ${body.sequenceNumber}` + (body.note ? ` (${body.note})` : "");
            setTimeout(() => { location.href = `/tumors/${body.tumorId}`; }, body.note ? 1500 : 300);
          });
          const intake = document.getElementById("intake-upload");
          if (intake) intake.addEventListener("submit", async (event) => {
            // The file goes as the body (the service streams it to disk), the facility and choices in the query.
            event.preventDefault();
            const status = document.getElementById("in-status"), file = intake.elements.file.files[0];
            if (!file) { status.textContent = "Choose a file"; return; }
            const query = new URLSearchParams({ facility: intake.elements.facility.value.trim(), filename: file.name, force: intake.elements.force.checked });
            const type = /\.gz$/i.test(file.name) ? "application/gzip" : /\.xml$/i.test(file.name) ? "application/xml" : "text/plain";
            status.textContent = `Receiving ${file.name}…`;
            const response = await fetch(`/api/intake?${query}`, { method: "POST", headers: { "Content-Type": type, "X-CSRF-Token": intake.dataset.csrf }, body: file });
            const result = await response.json();
            if (!response.ok) { status.textContent = `Not received: ${result.error.message}`; return; }
            status.textContent = `Received as intake ${result.id}: ${result.tumorsNew} new, ${result.tumorsChanged} changed, ${result.tumorsUnchanged} unchanged; `
              + `${result.tumorsFailing} fail the ${result.editSet} edits`;
            setTimeout(() => location.reload(), 1200);
          });
          const build = document.getElementById("build");
          if (build) build.addEventListener("click", async () => {
            const status = document.getElementById("build-status");
            build.disabled = true;
            status.textContent = "Building…";
            const response = await fetch("/api/submissions", { method: "POST",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": build.dataset.csrf }, body: JSON.stringify({ destination: build.dataset.destination }) });
            const result = await response.json();
            if (response.ok) location.href = "/submissions";
            else { status.textContent = result.message || "Not built"; build.disabled = false; }
          });
        });

        // A new patient: the duplicate check first (the list links to each stored patient); creating makes the patient
        // and its first primary, then opens the abstract.
        function newPatientForm(form) {
          const status = document.getElementById("np-status"), section = document.getElementById("duplicates");
          const fields = () => {
            const out = {};
            for (const input of form.querySelectorAll("[name]")) { const v = naaccrOf(input, input.value); if (v) out[input.name] = input.name === "socialSecurityNumber" ? v.replace(/\D/g, "") : v; }
            return out;
          };
          const create = async () => {
            status.textContent = "Creating…";
            const headers = { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf };
            const made = await fetch("/api/patients", { method: "POST", headers, body: JSON.stringify({ items: fields() }) });
            const patient = await made.json();
            if (!made.ok) { status.textContent = `Not created: ${patient.error.message}`; return; }
            const added = await fetch(`/api/patients/${patient.id}/primaries`, { method: "POST", headers, body: JSON.stringify({ items: {} }) });
            const primary = await added.json();
            if (!added.ok) { location.href = `/patients/${patient.id}`; return; }
            location.href = `/tumors/${primary.tumorId}`;
          };
          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            const f = fields();
            if (!f.nameLast) { status.textContent = "The last name is needed"; return; }
            if (f.dateOfBirth && !/^\d{8}$/.test(f.dateOfBirth)) { status.textContent = "The date of birth is YYYY-MM-DD"; return; }
            const query = new URLSearchParams({ nameLast: f.nameLast || "", nameFirst: f.nameFirst || "", dateOfBirth: f.dateOfBirth || "",
                                                socialSecurityNumber: f.socialSecurityNumber || "" });
            const response = await fetch(`/api/patients/duplicates?${query}`);
            const found = await response.json();
            if (!response.ok) { status.textContent = `Not checked: ${found.error.message}`; return; }
            if (!found.length) return create();
            const list = document.getElementById("duplicate-list"); list.textContent = "";
            for (const p of found) {
              const li = document.createElement("li"), a = document.createElement("a");
              a.href = `/patients/${p.patientId}`; a.textContent = `${p.nameLast}, ${p.nameFirst} (patient ${p.patientIdNumber}, born ${formDate(p.dateOfBirth)})`;
              li.append(a, ` — same ${p.matchedOn}`); list.append(li);
            }
            section.hidden = false;
            status.textContent = `${found.length} possible duplicate(s): check them before creating a new patient`;
          });
          document.getElementById("create-anyway").addEventListener("click", create);
        }

        // A field's value as NAACCR stores it: a date typed YYYY-MM-DD, YYYY-MM, YYYY, MM/DD/YYYY or MM/YYYY is CCYYMMDD,
        // CCYYMM or CCYY (a partial date leaves the unknown parts out); anything else goes as typed, for the edits to name.
        function naaccrOf(input, text) {
          const v = text.trim();
          if (input.dataset.kind !== "date") return v;
          let m = v.match(/^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/);
          if (m) return m[1] + (m[2] ? m[2].padStart(2, "0") : "") + (m[3] ? m[3].padStart(2, "0") : "");
          m = v.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
          if (m) return m[3] + m[1].padStart(2, "0") + m[2].padStart(2, "0");
          m = v.match(/^(\d{1,2})\/(\d{4})$/);
          if (m) return m[2] + m[1].padStart(2, "0");
          return v;
        }
        const value = (input) => naaccrOf(input, input.value);
        const storedValue = (input) => naaccrOf(input, input.defaultValue);
        const fieldsOf = (form, level) => form.querySelectorAll(`[name][data-level="${level}"]`);

        // Every editable field of a level, blanks included (a blank clears the item); items not on the form stay as stored.
        function items(form, level) {
          const out = {};
          for (const input of fieldsOf(form, level)) if (!input.readOnly) out[input.name] = value(input);
          return out;
        }

        // Only what the registrar changed since the abstract was opened (or last saved).
        function changed(form, level) {
          const out = {};
          for (const input of fieldsOf(form, level)) if (!input.readOnly && value(input) !== storedValue(input)) out[input.name] = value(input);
          return out;
        }
        const dirty = (form) => Object.keys(changed(form, "tumor")).length + Object.keys(changed(form, "patient")).length > 0;
        function markSaved(form, level) { for (const input of fieldsOf(form, level)) input.defaultValue = input.value; }

        const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        // What a coded field's code means (from its picker's list), a date in words, a text's length: shown beside the field.
        function describe(input) {
          const label = document.getElementById(`d-${input.name}`), count = document.getElementById(`c-${input.name}`);
          if (count) count.textContent = `${input.value.length} / ${input.maxLength}`;
          if (!label) return;
          const v = input.value.trim();
          if (input.dataset.kind === "date") {
            const d = value(input);
            if (!v) label.textContent = "";
            else if (!/^\d{4}(\d{2}(\d{2})?)?$/.test(d)) label.textContent = "not a date: YYYY-MM-DD, YYYY-MM or YYYY";
            else if (d.length === 4) label.textContent = `${d} (month and day unknown)`;
            else if (d.length === 6) label.textContent = `${months[+d.slice(4, 6) - 1] || "?"} ${d.slice(0, 4)} (day unknown)`;
            else label.textContent = `${+d.slice(6)} ${months[+d.slice(4, 6) - 1] || "?"} ${d.slice(0, 4)}`;
            return;
          }
          const list = input.list;
          if (!list || !list.options.length) { if (input.list !== undefined && label.textContent === "not a code of this item") label.textContent = ""; return; }
          const option = [...list.options].find((o) => o.value === v);
          label.textContent = option ? option.label || option.textContent : v ? "not a code of this item" : "";
        }

        async function put(url, version, csrf, body) {
          const response = await fetch(url, { method: "PUT", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf,
                                                                        "If-Match": `"${version}"` }, body: JSON.stringify(body) });
          return { ok: response.ok, status: response.status, body: await response.json() };
        }

        // Inline edits: after each pause in typing, the draft goes to the edits endpoint (nothing is saved) and each
        // message is shown next to the fields it involves. Enter moves to the next field; saving is the button (Alt+S).
        function abstractForm(form) {
          const tumor = form.dataset.tumor, csrf = form.dataset.csrf, status = document.getElementById("status");
          const canEdit = form.dataset.canEdit === "yes";
          for (const input of form.querySelectorAll("[name]")) describe(input);
          if (!canEdit) return;  // a reviewer reads: no edit checks, nothing to save
          // The standard pickers (sites, histologies, code lists) come once for all abstracts, cached by the browser.
          fetch("/static/pickers.html").then((r) => r.ok ? r.text() : "").then((html) => {
            const holder = document.createElement("div"); holder.id = "pickers"; holder.hidden = true; holder.innerHTML = html;
            document.body.append(holder);
          });
          let timer = null, sequence = 0, draftTimer = null;
          const check = async () => {
            const mine = ++sequence;
            const response = await fetch(`/api/tumors/${tumor}/edits`, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                                                                         body: JSON.stringify({ items: items(form, "tumor"), patientItems: items(form, "patient") }) });
            if (mine !== sequence || !response.ok) return;
            show(form, (await response.json()).failures);
          };
          const keepDraft = (keepalive) => {
            if (!dirty(form)) return;
            fetch(`/api/tumors/${tumor}/draft`, { method: "PUT", keepalive, headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
              body: JSON.stringify({ baseVersion: +form.dataset.version, items: changed(form, "tumor"), patientItems: changed(form, "patient") }) });
          };
          form.addEventListener("input", (event) => {
            describe(event.target);
            clearTimeout(timer); timer = setTimeout(check, 200);
            clearTimeout(draftTimer); draftTimer = setTimeout(() => keepDraft(false), 1500);
          });
          // The staging schema's section follows the items that choose it (site, histology, behavior, year, sex,
          // discriminators): fetched again when one of them changes, keeping whatever was typed in it.
          const selecting = ["primarySite", "histologicTypeIcdO3", "behaviorCodeIcdO3", "dateOfDiagnosis", "sexAssignedAtBirth",
                             "schemaDiscriminator1", "schemaDiscriminator2"];
          let schemaKey = null, schemaRequest = 0;
          const schemaQuery = () => {
            const query = new URLSearchParams();
            for (const id of selecting) { const input = form.querySelector(`[name="${id}"]`); if (input) query.set(id, value(input)); }
            return query.toString();
          };
          schemaKey = schemaQuery();
          const refreshSchema = async () => {
            const key = schemaQuery();
            if (key === schemaKey) return;
            schemaKey = key;
            const mine = ++schemaRequest;
            const response = await fetch(`/tumors/${tumor}/schema-items?${key}`);
            if (mine !== schemaRequest || !response.ok) return;
            const holder = document.createElement("template"); holder.innerHTML = await response.text();
            const old = document.getElementById("schema-block"), fresh = holder.content.getElementById("schema-block");
            if (!old || !fresh) return;
            // What was typed in the old section stays (value and the stored value it is compared with).
            const kept = {};
            for (const input of old.querySelectorAll("[name]")) kept[input.name] = [input.value, input.defaultValue];
            for (const input of fresh.querySelectorAll("[name]")) if (kept[input.name]) { input.defaultValue = kept[input.name][1]; input.value = kept[input.name][0]; }
            for (const list of holder.content.querySelectorAll("datalist")) {
              const existing = document.getElementById(list.id);
              if (existing) existing.replaceWith(list); else document.body.append(list);
            }
            old.replaceWith(fresh);
            for (const input of fresh.querySelectorAll("[name]")) describe(input);
            for (const id of ["rxSummSurgPrimSite2023", "rxSummSurgPrimSite"]) { const input = form.querySelector(`[name="${id}"]`); if (input) describe(input); }
            check();
          };
          form.addEventListener("change", (event) => { if (selecting.includes(event.target.name)) refreshSchema(); });
          form.addEventListener("keydown", (event) => {
            if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
            event.preventDefault();
            const fields = [...form.querySelectorAll("input[name]:not([readonly]), textarea[name]:not([readonly])")];
            const next = fields[fields.indexOf(event.target) + 1];
            if (next) next.focus();
          });
          window.addEventListener("beforeunload", (event) => { if (dirty(form)) { keepDraft(true); event.preventDefault(); event.returnValue = ""; } });
          document.getElementById("edits").addEventListener("click", (event) => {
            const link = event.target.closest("a[data-item]");
            if (!link) return;
            event.preventDefault();
            const input = document.getElementById(`f-${link.dataset.item}`);
            if (input) input.focus();
          });
          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            status.textContent = "Saving…";
            const patientChanges = changed(form, "patient"), tumorChanges = changed(form, "tumor");
            // Patient and tumor in one transaction: both saved, or neither.
            const response = await fetch(`/api/tumors/${tumor}/abstract`, { method: "PUT", headers: { "Content-Type": "application/json",
              "X-CSRF-Token": csrf, "If-Match": `"${form.dataset.version}"` },
              body: JSON.stringify({ patientVersion: +form.dataset.patientVersion, items: tumorChanges, patientItems: patientChanges }) });
            const body = await response.json();
            if (response.status === 409) return conflict(form, status, tumorChanges, patientChanges);
            if (!response.ok) return notSaved(form, status, body);
            form.dataset.version = body.version;
            form.dataset.patientVersion = body.patientVersion;
            markSaved(form, "patient"); markSaved(form, "tumor");
            const all = body.changedPatientItems.concat(body.changedItems);
            status.textContent = all.length ? `Saved: version ${body.version} (${all.join(", ")})` : "No changes to save";
            show(form, body.edits.failures);
            loadRevisions(document.getElementById("revisions"));
          });
          document.getElementById("mark-complete").addEventListener("click", async () => {
            if (dirty(form)) { status.textContent = "Save your changes before marking the abstract complete"; return; }
            const response = await fetch(`/api/tumors/${tumor}/status`, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                                                                          body: JSON.stringify({ status: "complete" }) });
            const body = await response.json();
            if (response.ok) { status.textContent = "Marked complete"; return; }
            status.textContent = `Not marked complete: ${body.error.message}`;
            for (const id of body.error.items || []) mark(form, id, "error", "required for a complete abstract");
          });
          offerDraft(form, status);
          check();
        }

        // A draft of this registrar's unsaved changes (kept while typing, or after a conflict) is offered on opening.
        async function offerDraft(form, status) {
          const response = await fetch(`/api/tumors/${form.dataset.tumor}/draft`);
          if (!response.ok) return;
          const draft = await response.json();
          const offer = document.getElementById("draft-offer");
          offer.hidden = false;
          document.getElementById("draft-restore").onclick = () => {
            for (const [level, values] of [["tumor", draft.items], ["patient", draft.patientItems]])
              for (const [id, v] of Object.entries(values || {})) {
                const input = form.querySelector(`[name="${id}"][data-level="${level}"]`);
                if (input && !input.readOnly) { input.value = input.dataset.kind === "date" ? formDate(v) : v; describe(input); }
              }
            offer.hidden = true;
            status.textContent = draft.baseVersion === +form.dataset.version ? "Your changes are back: save them"
              : `Your changes are back (typed on version ${draft.baseVersion}; this is version ${form.dataset.version}): check them and save`;
            form.dispatchEvent(new Event("input"));
          };
          document.getElementById("draft-discard").onclick = async () => {
            await fetch(`/api/tumors/${form.dataset.tumor}/draft`, { method: "DELETE", headers: { "X-CSRF-Token": form.dataset.csrf } });
            offer.hidden = true;
          };
        }

        const formDate = (d) => /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : /^\d{6}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4)}` : d;

        // Someone saved first: each item the registrar changed, theirs beside the stored value, to keep one or the other.
        async function conflict(form, status, tumorChanges, patientChanges) {
          const response = await fetch(`/api/tumors/${form.dataset.tumor}`);
          const now = await response.json();
          const rows = document.getElementById("conflict-rows"); rows.textContent = "";
          for (const [level, changes, stored] of [["patient", patientChanges, now.patientItems], ["tumor", tumorChanges, now.items]])
            for (const id of Object.keys(changes)) {
              const tr = document.createElement("tr"); tr.dataset.item = id; tr.dataset.level = level; tr.dataset.stored = stored[id] || "";
              for (const text of [id, changes[id] || "(blank)", stored[id] || "(blank)"]) { const td = document.createElement("td"); td.textContent = text; tr.append(td); }
              const td = document.createElement("td");
              for (const [choice, label] of [["mine", "Mine"], ["stored", "Stored"]]) {
                const l = document.createElement("label"), r = document.createElement("input");
                r.type = "radio"; r.name = `keep-${level}-${id}`; r.value = choice; r.checked = choice === "mine";
                l.append(r, ` ${label} `); td.append(l);
              }
              tr.append(td); rows.append(tr);
            }
          const section = document.getElementById("conflict");
          section.hidden = false;
          section.scrollIntoView({ block: "center" });
          status.textContent = `Not saved: version ${now.version} was saved by someone else. Choose per item below, then save again.`;
          document.getElementById("conflict-apply").onclick = () => {
            // The stored values become the base; each item set to the registrar's choice.
            for (const input of fieldsOf(form, "patient")) { const v = now.patientItems[input.name] || ""; input.defaultValue = input.dataset.kind === "date" ? formDate(v) : v; }
            for (const input of fieldsOf(form, "tumor")) { const v = now.items[input.name] || ""; input.defaultValue = input.dataset.kind === "date" ? formDate(v) : v; }
            for (const input of form.querySelectorAll("[name]")) if (!Object.keys(tumorChanges).includes(input.name) && !Object.keys(patientChanges).includes(input.name)) input.value = input.defaultValue;
            for (const tr of rows.querySelectorAll("tr")) {
              const input = form.querySelector(`[name="${tr.dataset.item}"][data-level="${tr.dataset.level}"]`);
              const keep = tr.querySelector("input:checked").value;
              if (input && keep === "stored") input.value = input.defaultValue;
              if (input) describe(input);
            }
            form.dataset.version = now.version; form.dataset.patientVersion = now.patientVersion;
            section.hidden = true;
            status.textContent = `Version ${now.version} with your choices: save to keep them`;
            form.dispatchEvent(new Event("input"));
          };
        }

        // The form keeps everything typed; the message says why the save did not happen.
        function notSaved(form, status, body) {
          status.textContent = `Not saved: ${body.error.message}`;
          for (const id of body.error.items || []) mark(form, id, "error", "invalid value");
        }

        function mark(form, id, kind, message) {
          const field = form.querySelector(`.field[data-item="${id}"]`);
          if (!field) return;
          field.classList.add(kind);
          const li = document.createElement("span"); li.textContent = message + " "; field.querySelector(".messages").append(li);
        }

        // Each failure in the list links to its fields; errors and warnings look different (warnings do not block).
        function show(form, failures) {
          for (const field of form.querySelectorAll(".field")) { field.classList.remove("error", "warning"); field.querySelector(".messages").textContent = ""; }
          const list = document.getElementById("edits"); list.textContent = "";
          for (const f of failures) {
            // A registry's own level (critical, review…) looks like an error when it blocks, like a warning otherwise.
            const blocks = f.blocks ?? f.severity === "error";
            const kind = f.overridden ? "overridden" : blocks ? "error" : "warning";
            const word = f.overridden ? "Over-ridden" : f.severity.charAt(0).toUpperCase() + f.severity.slice(1);
            const li = document.createElement("li"); li.className = kind;
            li.append(`${word} ${f.edit} ${f.name}: ${f.message} `);
            for (const id of f.items) {
              const a = document.createElement("a"); a.href = `#f-${id}`; a.dataset.item = id; a.textContent = id; li.append(a, " ");
            }
            list.append(li);
            if (!f.overridden) for (const id of f.items) mark(form, id, kind, `${f.edit}: ${f.message}`);
          }
          if (!failures.length) { const li = document.createElement("li"); li.textContent = "All edits pass."; list.append(li); }
        }

        async function loadRevisions(list) {
          const response = await fetch(`/api/tumors/${list.dataset.tumor}/revisions`);
          if (!response.ok) return;
          list.textContent = "";
          for (const r of await response.json()) {
            const li = document.createElement("li");
            const changes = JSON.parse(r.changes);
            li.textContent = `Version ${r.version}, ${r.changedAt} by ${r.changedBy || "import"} (${r.source}): `
              + Object.keys(changes).sort().map((id) => {
                  const c = changes[id];
                  return c && typeof c === "object" && ("old" in c || "new" in c) ? `${id} ${c.old ?? "(blank)"} → ${c.new ?? "(blank)"}` : id;
                }).join("; ");
            list.append(li);
          }
        }
        """#
}
