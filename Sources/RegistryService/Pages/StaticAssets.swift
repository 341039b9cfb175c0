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
        .field.error input { border: 2px solid #b3261e; } .field.warning input { border: 2px solid #c77700; }
        .messages { display: block; font-size: .8rem; color: #b3261e; }
        .num { color: #6b7480; font-size: .75rem; }
        .status { position: sticky; top: 0; background: #fffbe6; padding: .3rem .5rem; margin-bottom: .5rem; }
        .error { color: #b3261e; } .sr { position: absolute; left: -9999px; }
        .signin { max-width: 22rem; margin: 3rem auto; background: white; padding: 1.5rem; }
        .signin input { display: block; width: 100%; margin-bottom: .8rem; font: inherit; }
        :focus-visible { outline: 3px solid #f2a900; outline-offset: 1px; }
        @media print { header, .actions, #edits { display: none; } }
        """

    static let javascript = """
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

        // Every editable field of a level, blanks included (a blank clears the item); items not on the form stay as stored.
        function items(form, level) {
          const out = {};
          for (const input of form.querySelectorAll(`input[name][data-level="${level}"]`)) if (!input.readOnly) out[input.name] = input.value.trim();
          return out;
        }

        function changed(form, level) {
          const out = {};
          for (const input of form.querySelectorAll(`input[name][data-level="${level}"]`))
            if (!input.readOnly && input.value.trim() !== input.defaultValue) out[input.name] = input.value.trim();
          return out;
        }

        async function put(url, version, csrf, body) {
          const response = await fetch(url, { method: "PUT", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf,
                                                                        "If-Match": `"${version}"` }, body: JSON.stringify(body) });
          return { ok: response.ok, body: await response.json() };
        }

        // Inline edits: after each pause in typing, the draft goes to the edits endpoint (nothing is saved) and each
        // message is shown next to the fields it involves.
        function abstractForm(form) {
          const tumor = form.dataset.tumor, csrf = form.dataset.csrf, status = document.getElementById("status");
          let timer = null, sequence = 0;
          const check = async () => {
            const mine = ++sequence;
            const response = await fetch(`/api/tumors/${tumor}/edits`, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
                                                                         body: JSON.stringify({ items: items(form, "tumor"), patientItems: items(form, "patient") }) });
            if (mine !== sequence || !response.ok) return;
            show(form, (await response.json()).failures);
          };
          form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 200); });
          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            status.textContent = "Saving…";
            // Patient items (demographics, follow-up) are saved on the patient first, each record with its own version.
            const patientChanges = changed(form, "patient");
            if (Object.keys(patientChanges).length) {
              const saved = await put(`/api/patients/${form.dataset.patient}`, form.dataset.patientVersion, csrf, { items: patientChanges });
              if (!saved.ok) return notSaved(form, status, saved.body);
              form.dataset.patientVersion = saved.body.version;
              for (const id of Object.keys(patientChanges)) form.querySelector(`#f-${id}`).defaultValue = patientChanges[id];
            }
            const saved = await put(`/api/tumors/${tumor}`, form.dataset.version, csrf, { items: items(form, "tumor") });
            if (!saved.ok) return notSaved(form, status, saved.body);
            const body = saved.body;
            form.dataset.version = body.version;
            const all = Object.keys(patientChanges).concat(body.changedItems);
            status.textContent = all.length ? `Saved: version ${body.version} (${all.join(", ")})` : "No changes to save";
            show(form, body.edits.failures);
            loadRevisions(document.getElementById("revisions"));
          });
          check();
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

        function show(form, failures) {
          for (const field of form.querySelectorAll(".field")) { field.classList.remove("error", "warning"); field.querySelector(".messages").textContent = ""; }
          const list = document.getElementById("edits"); list.textContent = "";
          for (const f of failures) {
            const kind = f.overridden ? "overridden" : f.severity;
            const li = document.createElement("li"); li.className = kind;
            li.textContent = `${kind.toUpperCase()} ${f.edit} ${f.name}: ${f.message}`; list.append(li);
            if (!f.overridden) for (const id of f.items) mark(form, id, f.severity, `${f.edit}: ${f.message}`);
          }
          if (!failures.length) { const li = document.createElement("li"); li.textContent = "All edits pass."; list.append(li); }
        }

        async function loadRevisions(list) {
          const response = await fetch(`/api/tumors/${list.dataset.tumor}/revisions`);
          if (!response.ok) return;
          list.textContent = "";
          for (const r of await response.json()) {
            const li = document.createElement("li");
            li.textContent = `Version ${r.version}, ${r.changedAt} by ${r.changedBy || "import"} (${r.source}): ${Object.keys(JSON.parse(r.changes)).join(", ")}`;
            list.append(li);
          }
        }
        """
}
