import Mustache

/// The workbench's page templates (Mustache; `{{x}}` is HTML-escaped). One layout, one template per page.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("signin", signIn), ("worklist", worklist), ("patient", patient), ("abstract", abstract), ("error", error), ("submissions", submissions), ("preview", preview), ("reports", reports), ("followup", followUp), ("followupRecord", followUpRecord), ("followupCases", followUpCases), ("newPatient", newPatient), ("casefinding", casefinding), ("intake", intake)] {
            try! library.register(text, named: name)
        }
        return library
    }()

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Tumor Registry</title>
        <link rel="stylesheet" href="/static/app.css">
        <script src="/static/app.js" defer></script>
        </head>
        <body>
        <header>
          <a class="brand" href="/">Tumor Registry</a>
          {{#user}}<nav><a href="/" accesskey="w">Worklist</a>{{#submissions}} <a href="/submissions">Submissions</a>{{/submissions}}{{#casefinding}} <a href="/casefinding">Casefinding</a>{{/casefinding}}{{#intake}} <a href="/intake">Intake</a>{{/intake}}{{#followup}} <a href="/followup">Follow-up</a>{{/followup}}{{#reports}} <a href="/reports">Reports</a>{{/reports}}
          <form class="search" action="/" method="get" role="search"><label for="q" class="sr">Find a patient</label>
          <input id="q" name="q" placeholder="Last, first · birth date · patient id, accession no., MRN" value="{{query}}" accesskey="f"></form>
          <span class="who">{{displayName}} ({{role}})</span>
          <button type="button" id="signout" data-csrf="{{csrf}}">Sign out</button></nav>{{/user}}
        </header>
        <main id="main">{{{content}}}</main>
        </body>
        </html>
        """

    /// A central registry's intake: receive a facility's file (checked with the incoming edits), and the files
    /// received, each with its counts and its rejection report.
    static let intake = """
        <h1>Intake: files received from facilities</h1>
        <form id="intake-upload" data-csrf="{{csrf}}">
          <fieldset><legend>Receive a file</legend>
          <div class="field"><label for="in-facility">Facility (code)</label><input id="in-facility" name="facility" required maxlength="40"
               pattern="[A-Za-z0-9._\\-]{1,40}" autocomplete="off"></div>
          <div class="field"><label for="in-file">NAACCR file (XML, flat, or .gz)</label><input id="in-file" name="file" type="file" required></div>
          <div class="field"><label><input type="checkbox" name="force" id="in-force"> Receive again a file received before</label></div>
          <div class="actions"><button type="submit">Receive</button></div>
          </fieldset>
          <p id="in-status" role="status" aria-live="polite"></p>
        </form>
        <section aria-labelledby="received-heading"><h2 id="received-heading">Received</h2>
        {{^intakes}}<p>No file received yet.</p>{{/intakes}}
        <table id="intakes">
          <thead><tr><th>Id</th><th>Facility</th><th>Received</th><th>By</th><th>File</th><th>Type</th><th>Version</th><th>New</th><th>Changed</th>
            <th>Unchanged</th><th>Refused patients</th><th>Failing {{editSet}}</th><th>Rejection report</th></tr></thead>
          <tbody>
          {{#intakes}}<tr data-intake="{{id}}"><td>{{id}}</td><td>{{facility}}</td><td>{{received}}</td><td>{{receivedBy}}</td><td>{{fileName}}</td>
            <td>{{recordType}}</td><td>{{version}}</td><td>{{new}}</td><td>{{changed}}</td><td>{{unchanged}}</td><td>{{rejectedPatients}}</td>
            <td>{{failing}}{{#topEdits}} <small>({{topEdits}})</small>{{/topEdits}}</td>
            <td>{{#failing}}<a href="/api/intake/{{id}}/rejections?format=csv" download>CSV</a>{{#canXML}} · <a href="/api/intake/{{id}}/rejections?format=xml" download>NAACCR XML</a>{{/canXML}}{{/failing}}</td></tr>{{/intakes}}
          </tbody>
        </table></section>
        """

    /// The submitter's page: destinations to preview, and the ledger with downloads and status changes.
    static let submissions = """
        <h1>Submissions</h1>
        <section aria-labelledby="destinations-heading"><h2 id="destinations-heading">Destinations</h2>
        <table>
          <thead><tr><th>Destination</th><th>What it takes</th><th>Edit set</th><th></th></tr></thead>
          <tbody>
          {{#destinations}}<tr><td>{{name}}</td><td>{{description}}</td><td>{{editSet}}</td>
            <td><a href="/submissions/preview?destination={{name}}">Preview</a></td></tr>{{/destinations}}
          </tbody>
        </table></section>
        <section aria-labelledby="history-heading"><h2 id="history-heading">History</h2>
        {{^history}}<p>No submission yet.</p>{{/history}}
        <table id="history" data-csrf="{{csrf}}">
          <thead><tr><th>Id</th><th>Destination</th><th>Record type</th><th>Created</th><th>By</th><th>Sent</th><th>Held</th><th>Status</th><th>File</th><th>Mark</th></tr></thead>
          <tbody>
          {{#history}}<tr><td>{{id}}</td><td>{{destination}}</td><td>{{recordType}}{{#companionOf}} <small>(changed records of {{companionOf}})</small>{{/companionOf}}</td><td>{{created}}</td><td>{{createdBy}}</td><td>{{sent}}</td><td>{{held}}</td>
            <td>{{status}}{{#reason}} ({{reason}}){{/reason}}</td><td><a href="/api/submissions/{{id}}/file" download>{{fileName}}</a></td>
            <td class="actions">{{#canMark}}<button type="button" data-mark="{{id}}" data-status="sent">Sent</button>
            <button type="button" data-mark="{{id}}" data-status="accepted">Accepted</button>
            <button type="button" data-mark="{{id}}" data-status="rejected">Rejected</button>{{/canMark}}</td></tr>{{/history}}
          </tbody>
        </table></section>
        """

    /// The follow-up control list: status tabs with counts, the CoC exclusions counted, a row per patient with what to
    /// try next and a button that records it as sent.
    static let followUp = """
        <h1>Follow-up as of {{asOf}}</h1>
        <form class="inline" action="/followup" method="get"><label for="asOf">As of</label>
          <input id="asOf" name="asOf" type="date" value="{{asOf}}"><button type="submit">Show</button>
          <a href="/followup/rates?asOf={{asOf}}">Follow-up rates (CoC worksheet)</a>
          {{#canRecord}}<a href="/followup/letters?asOf={{asOf}}">Print letters</a> <a href="/followup/letters?asOf={{asOf}}&amp;format=csv">Mail-merge CSV</a>{{/canRecord}}</form>
        <nav class="tabs" aria-label="Follow-up status">{{#tabs}}<a href="{{href}}" {{#current}}aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
        <p class="note">Due: 12-14 months since the last contact; delinquent: 15 months or more (not current for the CoC); lost: 24 months
        or more. Not followed (CoC exclusions): {{#exclusions}}{{cases}} {{reason}}; {{/exclusions}}{{^exclusions}}none{{/exclusions}}</p>
        <table id="followup" data-csrf="{{csrf}}">
          <thead><tr><th>Patient</th><th>Name</th><th>Last contact</th><th>Months</th><th>Status</th><th>Sites</th><th>Physician</th>
          <th>Due next</th><th>Attempts</th><th></th></tr></thead>
          <tbody>
          {{#rows}}<tr><td><a href="/patients/{{patientId}}">{{patientIdNumber}}</a></td><td>{{name}}</td><td>{{lastContact}}</td><td>{{months}}</td>
          <td>{{status}}</td><td>{{sites}}</td><td>{{physician}}</td><td>{{next}}</td><td>{{attempts}}{{#lastAttempt}} (last {{lastAttempt}}){{/lastAttempt}}</td>
          <td class="actions">{{#canSend}}<button type="button" data-attempt="{{patientId}}" data-method="{{next}}">Mark {{next}} sent</button>{{/canSend}}
          {{#canRecord}}<a href="/followup/patients/{{patientId}}">Record contact</a>{{/canRecord}}</td></tr>{{/rows}}
          </tbody>
        </table>
        <nav class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a>{{/previous}} Page {{page}} {{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</nav>
        """

    /// The cases behind one count of the follow-up worksheet.
    static let followUpCases = """
        <h1>Follow-up worksheet: {{line}}</h1>
        <p>{{total}} cases, {{cohort}}, as of {{asOf}} (reference date {{reference}}). <a href="{{ratesLink}}">Back to the worksheet</a></p>
        <table id="worksheet-cases">
          <thead><tr><th>Patient</th>{{#names}}<th>Name</th>{{/names}}<th>Tumor</th><th>Site</th><th>Diagnosed</th><th>Class</th>
          <th>Last contact</th><th>Vital status</th></tr></thead>
          <tbody>
          {{#rows}}<tr><td><a href="/patients/{{patientId}}">{{patientIdNumber}}</a></td>{{#names}}<td>{{name}}</td>{{/names}}
          <td><a href="/tumors/{{tumorId}}">{{tumorId}}</a></td><td>{{site}}</td><td>{{diagnosis}}</td><td>{{classOfCase}}</td>
          <td>{{lastContact}}</td><td>{{vitalStatus}}</td></tr>{{/rows}}
          </tbody>
        </table>
        <nav class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a>{{/previous}} Page {{page}} {{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</nav>
        """

    /// Recording a contact: what the source said about the patient and each tumor.
    static let followUpRecord = """
        <h1>Record follow-up <small><a href="/patients/{{patientId}}">{{name}} (patient {{patientIdNumber}})</a></small></h1>
        <p>Last contact {{lastContact}}; {{vitalStatus}}.</p>
        <form id="followup-contact" data-patient="{{patientId}}" data-csrf="{{csrf}}" novalidate>
          <label for="fu-date">Date of contact</label><input id="fu-date" name="date" type="date" max="{{today}}" required>
          <label for="fu-source">Follow-up source (1790)</label>
          <select id="fu-source" name="source">{{#sources}}<option value="{{code}}">{{label}}</option>{{/sources}}</select>
          <label for="fu-vital">Vital status (1760)</label>
          <select id="fu-vital" name="vitalStatus"><option value="1">1 Alive</option><option value="0">0 Dead</option></select>
          {{#tumors}}<label for="fu-cancer-{{id}}">Cancer status (1770): {{site}}</label>
          <select id="fu-cancer-{{id}}" data-tumor="{{id}}" class="cancer-status">{{#statuses}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select>{{/tumors}}
          <label for="fu-cause">Cause of death (1910, ICD-10; when dead)</label><input id="fu-cause" name="causeOfDeath" maxlength="4">
          <label for="fu-next">Next follow-up source (1800)</label>
          <select id="fu-next" name="nextFollowUpSource">{{#nextSources}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/nextSources}}</select>
          <button type="submit">Record contact</button>
        </form>
        <p id="fu-status" role="status" aria-live="polite"></p>
        """

    /// The committee's reports: the year, internal or public, and the format.
    static let reports = """
        <h1>Reports</h1>
        <section aria-labelledby="annual-heading"><h2 id="annual-heading">Annual report</h2>
        <p>Primary site table, stage of the most frequent sites, ten-year trend, age by sex, county, survival at 1, 3 and 5
        years by stage with curves, and (internal only) the accession register.</p>
        <form id="annual" action="/reports/annual" method="get">
          <label for="year">Diagnosis year</label>
          <select id="year" name="year">{{#years}}<option value="{{year}}"{{#selected}} selected{{/selected}}>{{year}} ({{tumors}} tumors)</option>{{/years}}</select>
          {{#noYears}}<p>The registry holds no tumors yet.</p>{{/noYears}}
          <fieldset><legend>Audience</legend>
            <label><input type="radio" name="public" value="0" checked> Internal (committee): all counts</label>
            <label><input type="radio" name="public" value="1"> Public: counts under 16 suppressed, no register</label>
          </fieldset>
          <label for="format">Format</label>
          <select id="format" name="format"><option value="html" selected>Printable page (HTML)</option>
            <option value="pdf">PDF</option><option value="xlsx">Spreadsheet (XLSX)</option><option value="json">JSON</option>
            <option value="csv">CSV (primary site table)</option></select>
          <button type="submit">Open the report</button>
        </form></section>
        <section aria-labelledby="incidence-heading"><h2 id="incidence-heading">Incidence rates</h2>
        <p>Crude and age-adjusted rates per 100,000 (2000 US standard) with 95% intervals and the annual percent change;
        needs the population estimates (<code>registry population load</code>).</p>
        <form id="incidence" action="/reports/incidence" method="get">
          <label for="inc-from">From</label><input id="inc-from" name="from" type="number" min="1900" max="2100" value="{{incidenceFrom}}">
          <label for="inc-to">To</label><input id="inc-to" name="to" type="number" min="1900" max="2100" value="{{incidenceTo}}">
          <label for="inc-by">By</label><select id="inc-by" name="by"><option value="all">All cases</option><option value="site">Site</option>
            <option value="sex">Sex</option><option value="county">County</option><option value="race">Race</option></select>
          <label><input type="checkbox" name="public" value="1"> Public (counts under 16 suppressed)</label>
          <button type="submit">Compute rates</button>
        </form></section>
        <section aria-labelledby="quality-heading"><h2 id="quality-heading">Quality dashboard</h2>
        <p>Timeliness, unknowns, death-certificate-only cases and possible duplicates against their standards, edit sets,
        follow-up rates, and the CoC quality measures (BCSRT, HT, MAC, nBx, ACT, 12RLN) with the tumors that miss them.</p>
        <p><a href="/quality">Open the quality dashboard</a> · <a href="/quality?format=xlsx">as a spreadsheet</a> ·
        <a href="/followup/rates">Follow-up rates</a></p></section>
        """

    /// A dry run: what a submission would send, what its edits hold back (linked to the abstracts), NPCR's figures.
    static let preview = """
        <h1>Preview: {{destination}}</h1>
        <p>{{description}}</p>
        {{#refused}}<p class="error" role="alert">The destination would refuse this file: more than {{maxHeldPercent}}% of its records fail the {{editSet}} edits.</p>{{/refused}}
        <table>
          <tbody>
          <tr><th scope="row">New tumors</th><td>{{tumorsNew}}</td></tr>
          <tr><th scope="row">Changed since the last accepted submission</th><td>{{tumorsChanged}}</td></tr>
          <tr><th scope="row">Sent again in full (newest year)</th><td>{{tumorsResent}}</td></tr>
          <tr><th scope="row">Unchanged (not sent)</th><td>{{tumorsUnchanged}}</td></tr>
          <tr><th scope="row">Held back by the edits</th><td>{{tumorsHeld}}</td></tr>
          <tr><th scope="row">Not taken by the destination</th><td>{{tumorsNotEligible}}</td></tr>
          <tr><th scope="row">Abstracts in progress (sent once complete)</th><td>{{tumorsInProgress}}</td></tr>
          </tbody>
        </table>
        {{#hasQuality}}<h2>Data quality (NPCR standards)</h2>{{/hasQuality}}
        <table>{{#quality}}<tr><th scope="row">{{name}}</th><td>{{percent}}%</td><td>{{standard}}</td><td>{{verdict}}</td></tr>{{/quality}}</table>
        {{#hasHeld}}<h2>Held back by the edits</h2>{{/hasHeld}}
        <ul id="held">{{#held}}<li><a href="/tumors/{{tumorId}}">Tumor {{tumorId}}</a>: {{edits}}</li>{{/held}}</ul>
        <p class="actions"><button type="button" id="build" data-destination="{{destination}}" data-csrf="{{csrf}}">Build the file</button>
        <a href="/submissions">Back to submissions</a></p>
        <p id="build-status" role="status"></p>
        """

    static let signIn = """
        <section class="signin">
        <h1>Sign in</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/signin">
          <input type="hidden" name="_signin" value="{{signinToken}}">
          <label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus value="{{username}}">
          <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
          <button type="submit">Sign in</button>
        </form>
        <p class="note">Synthetic demo data only. Every read and change of an abstract is recorded.</p>
        </section>
        """

    static let worklist = """
        <h1>{{heading}}</h1>
        {{#canEdit}}<p class="actions"><a href="/patients/new" id="new-patient-link">New patient</a></p>{{/canEdit}}
        <nav class="tabs" aria-label="Worklists">
          {{#tabs}}<a href="{{href}}" {{#current}}aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}
        </nav>
        <p class="count">{{total}} patient(s){{#query}} matching “{{query}}”{{/query}}</p>
        <table>
          <thead><tr><th>Patient id</th><th>Name</th><th>Born</th><th>Tumors</th><th>Failing edits</th><th>In progress</th>
          <th>Days since first contact</th><th>Abstractor</th></tr></thead>
          <tbody>
          {{#rows}}<tr><td><a href="/patients/{{id}}">{{patientIdNumber}}</a></td><td>{{nameLast}}, {{nameFirst}}</td><td>{{dateOfBirth}}</td>
          <td>{{tumors}}</td><td>{{#tumorsFailingEdits}}<span class="bad">{{tumorsFailingEdits}}</span>{{/tumorsFailingEdits}}</td>
          <td>{{inProgress}}</td><td>{{#late}}<span class="bad" title="past the 6-month timeliness rule">{{days}}</span>{{/late}}{{^late}}{{days}}{{/late}}</td>
          <td>{{abstractor}}</td></tr>{{/rows}}
          </tbody>
        </table>
        <nav class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a>{{/previous}} Page {{page}} {{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</nav>
        """

    /// Casefinding (suspense): reports awaiting a decision, oldest first, and a form for a new one.
    static let casefinding = """
        <h1>Casefinding</h1>
        <nav class="tabs" aria-label="Casefinding status">{{#tabs}}<a href="{{href}}" {{#current}}aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}</nav>
        <p class="count">{{total}} report(s)</p>
        <table id="casefinding" data-csrf="{{csrf}}">
          <thead><tr><th>Reported</th><th>Source</th><th>Name</th><th>Born</th><th>MRN</th><th>Suspected site</th><th>Histology</th>
          <th>Diagnosis</th><th>Decision</th></tr></thead>
          <tbody>
          {{#rows}}<tr data-report="{{id}}"><td>{{reportedOn}}</td><td>{{source}}</td><td>{{name}}</td><td>{{born}}</td><td>{{mrn}}</td>
          <td>{{site}}</td><td>{{histology}}</td><td>{{diagnosis}}</td>
          <td class="actions">{{#pending}}<button type="button" data-decide="reportable">Reportable: abstract</button>
            <label>Reason <input class="reason" maxlength="200" size="14"></label><button type="button" data-decide="not reportable">Not reportable</button>
            <label>Tumor <input class="tumor" inputmode="numeric" size="6"></label><button type="button" data-decide="duplicate">Duplicate</button>{{/pending}}
            {{^pending}}{{status}}{{#reason}}: {{reason}}{{/reason}}{{#tumorId}} <a href="/tumors/{{tumorId}}">tumor {{tumorId}}</a>{{/tumorId}}{{/pending}}</td></tr>{{/rows}}
          </tbody>
        </table>
        <p id="cf-status" role="status" aria-live="polite"></p>
        <nav class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a>{{/previous}} Page {{page}} {{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</nav>
        <section aria-labelledby="cf-new"><h2 id="cf-new">New report</h2>
        <form id="casefinding-report" data-csrf="{{csrf}}" novalidate>
          <label for="cf-source">Source</label><select id="cf-source" name="source">{{#sources}}<option>{{.}}</option>{{/sources}}</select>
          <label for="cf-date">Reported on</label><input id="cf-date" name="reportedOn" type="date" value="{{today}}" max="{{today}}">
          <label for="cf-last">Last name</label><input id="cf-last" name="nameLast" maxlength="40">
          <label for="cf-first">First name</label><input id="cf-first" name="nameFirst" maxlength="40">
          <label for="cf-born">Date of birth</label><input id="cf-born" name="dateOfBirth" data-kind="date" maxlength="10" placeholder="YYYY-MM-DD">
          <label for="cf-sex">Sex</label><select id="cf-sex" name="sex"><option value=""></option>{{#sexes}}<option value="{{code}}">{{code}} {{label}}</option>{{/sexes}}</select>
          <label for="cf-mrn">Medical record number</label><input id="cf-mrn" name="medicalRecordNumber" maxlength="15">
          <label for="cf-site">Suspected site</label><input id="cf-site" name="suspectedSite" list="sites" maxlength="4">
          <label for="cf-histology">Suspected histology</label><input id="cf-histology" name="suspectedHistology" list="histologies" maxlength="6">
          <label for="cf-dx">Diagnosis (e.g. ICD-10-CM, pathology line)</label><input id="cf-dx" name="diagnosis" maxlength="200">
          <button type="submit">Add to the list</button>
        </form></section>
        {{{datalists}}}
        """

    /// A new patient: the duplicate check (SSN, names, date of birth) runs before anything is created; then the first
    /// primary is added and opened.
    static let newPatient = """
        <h1>New patient</h1>
        <form id="new-patient" data-csrf="{{csrf}}" novalidate>
          <label for="np-last">Last name (2230)</label><input id="np-last" name="nameLast" maxlength="40" required autocomplete="off">
          <label for="np-first">First name (2240)</label><input id="np-first" name="nameFirst" maxlength="40" autocomplete="off">
          <label for="np-birth">Date of birth (240)</label><input id="np-birth" name="dateOfBirth" data-kind="date" maxlength="10" placeholder="YYYY-MM-DD" autocomplete="off">
          <label for="np-sex">Sex assigned at birth (225)</label>
          <select id="np-sex" name="sexAssignedAtBirth">{{#sexes}}<option value="{{code}}">{{code}} {{label}}</option>{{/sexes}}</select>
          <label for="np-ssn">Social security number (2320)</label><input id="np-ssn" name="socialSecurityNumber" maxlength="11" inputmode="numeric" autocomplete="off">
          <button type="submit">Check for duplicates and create</button>
        </form>
        <section id="duplicates" hidden aria-labelledby="dup-heading"><h2 id="dup-heading">Possible duplicates</h2>
          <p>These stored patients share the social security number, a name and the date of birth, or both names. Open one to add a
          primary to it, or create a new patient if none of them is this person.</p>
          <ul id="duplicate-list"></ul>
          <button type="button" id="create-anyway">None of these: create the patient</button></section>
        <p id="np-status" role="status" aria-live="polite"></p>
        """

    static let patient = """
        <h1>{{nameLast}}, {{nameFirst}} <small>patient {{patientIdNumber}}</small></h1>
        <dl class="facts"><dt>Born</dt><dd>{{dateOfBirth}}</dd><dt>Sex</dt><dd>{{sex}}</dd><dt>Vital status</dt><dd>{{vitalStatus}}</dd>
        <dt>Last contact</dt><dd>{{dateOfLastContact}}</dd></dl>
        <h2>Tumors</h2>
        <table>
          <thead><tr><th>Seq</th><th>Site</th><th>Histology</th><th>Diagnosed</th><th>Stage</th><th>Status</th><th>Accession</th><th>Version</th></tr></thead>
          <tbody>
          {{#tumors}}<tr><td>{{sequence}}</td><td><a href="/tumors/{{id}}">{{site}}</a></td><td>{{histology}}</td><td>{{diagnosed}}</td><td>{{stage}}</td>
          <td>{{status}}</td><td>{{accession}}</td><td>{{version}}</td></tr>{{/tumors}}
          </tbody>
        </table>
        {{#canEdit}}<p class="actions"><button type="button" id="add-primary" data-patient="{{patientId}}" data-csrf="{{csrf}}">Add a primary</button></p>
        <p id="add-status" role="status" aria-live="polite"></p>{{/canEdit}}
        """

    static let abstract = """
        <h1>Abstract: {{siteLabel}} <small><a href="/patients/{{patientId}}">{{patientName}}</a></small></h1>
        <form id="abstract" data-tumor="{{tumorId}}" data-version="{{version}}" data-patient="{{patientId}}"
              data-patient-version="{{patientVersion}}" data-csrf="{{csrf}}" data-can-edit="{{#canEdit}}yes{{/canEdit}}" novalidate>
        <div class="status" id="status" role="status" aria-live="polite">Version {{version}}{{^canEdit}} (read only){{/canEdit}}</div>
        <p id="draft-offer" class="draft" hidden>A draft of your unsaved changes to this abstract is kept.
          <button type="button" id="draft-restore">Restore my changes</button> <button type="button" id="draft-discard">Discard</button></p>
        <section id="conflict" class="conflict" hidden aria-labelledby="conflict-heading"><h2 id="conflict-heading">Someone saved this abstract while you were editing</h2>
          <p>For each item, keep yours or take the stored value, then save again.</p>
          <table><thead><tr><th>Item</th><th>Yours</th><th>Stored now</th><th>Keep</th></tr></thead><tbody id="conflict-rows"></tbody></table>
          <button type="button" id="conflict-apply">Use these values</button></section>
        {{{sections}}}
        {{#canEdit}}<div class="actions"><button type="submit" accesskey="s">Save (Alt+S)</button>
          <button type="button" id="mark-complete">Mark complete</button></div>
        <section aria-labelledby="edits-heading"><h2 id="edits-heading">Edits</h2><ul id="edits"><li>Checking…</li></ul></section>{{/canEdit}}
        </form>
        <section><h2>Revision history</h2><ol id="revisions" data-tumor="{{tumorId}}"></ol></section>
        {{{datalists}}}
        """

    static let error = """
        <section class="error-page">
        <h1>{{heading}}</h1>
        <p role="alert">{{message}}</p>
        <p><a href="/">Back to the worklist</a></p>
        </section>
        """
}
