import Mustache

/// The workbench's page templates (Mustache; `{{x}}` is HTML-escaped). One layout, one template per page.
enum Templates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("signin", signIn), ("worklist", worklist), ("patient", patient), ("abstract", abstract), ("error", error)] {
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
          {{#user}}<nav><a href="/" accesskey="w">Worklist</a>
          <form class="search" action="/" method="get" role="search"><label for="q" class="sr">Find a patient</label>
          <input id="q" name="q" placeholder="Last name[, first] or patient id" value="{{query}}" accesskey="f"></form>
          <span class="who">{{displayName}} ({{role}})</span>
          <button type="button" id="signout" data-csrf="{{csrf}}">Sign out</button></nav>{{/user}}
        </header>
        <main id="main">{{{content}}}</main>
        </body>
        </html>
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
        <nav class="tabs" aria-label="Worklists">
          {{#tabs}}<a href="{{href}}" {{#current}}aria-current="page"{{/current}}>{{label}}</a>{{/tabs}}
        </nav>
        <p class="count">{{total}} patient(s){{#query}} matching “{{query}}”{{/query}}</p>
        <table>
          <thead><tr><th>Patient id</th><th>Name</th><th>Born</th><th>Tumors</th><th>Failing edits</th></tr></thead>
          <tbody>
          {{#rows}}<tr><td><a href="/patients/{{id}}">{{patientIdNumber}}</a></td><td>{{nameLast}}, {{nameFirst}}</td><td>{{dateOfBirth}}</td>
          <td>{{tumors}}</td><td>{{#tumorsFailingEdits}}<span class="bad">{{tumorsFailingEdits}}</span>{{/tumorsFailingEdits}}</td></tr>{{/rows}}
          </tbody>
        </table>
        <nav class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a>{{/previous}} Page {{page}} {{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</nav>
        """

    static let patient = """
        <h1>{{nameLast}}, {{nameFirst}} <small>patient {{patientIdNumber}}</small></h1>
        <dl class="facts"><dt>Born</dt><dd>{{dateOfBirth}}</dd><dt>Sex</dt><dd>{{sex}}</dd><dt>Vital status</dt><dd>{{vitalStatus}}</dd>
        <dt>Last contact</dt><dd>{{dateOfLastContact}}</dd></dl>
        <h2>Tumors</h2>
        <table>
          <thead><tr><th>Seq</th><th>Site</th><th>Histology</th><th>Diagnosed</th><th>Stage</th><th>Version</th></tr></thead>
          <tbody>
          {{#tumors}}<tr><td>{{sequence}}</td><td><a href="/tumors/{{id}}">{{site}}</a></td><td>{{histology}}</td><td>{{diagnosed}}</td><td>{{stage}}</td><td>{{version}}</td></tr>{{/tumors}}
          </tbody>
        </table>
        """

    static let abstract = """
        <h1>Abstract: {{siteLabel}} <small><a href="/patients/{{patientId}}">{{patientName}}</a></small></h1>
        <form id="abstract" data-tumor="{{tumorId}}" data-version="{{version}}" data-patient="{{patientId}}"
              data-patient-version="{{patientVersion}}" data-csrf="{{csrf}}" novalidate>
        <div class="status" id="status" role="status" aria-live="polite">Version {{version}}</div>
        {{#groups}}
        <fieldset><legend>{{title}}</legend>
          {{#fields}}
          <div class="field" data-item="{{id}}">
            <label for="f-{{id}}">{{label}} <span class="num">{{number}}</span></label>
            <input id="f-{{id}}" name="{{id}}" value="{{value}}" data-level="{{level}}" {{#list}}list="{{list}}"{{/list}} {{#readonly}}readonly{{/readonly}}
                   maxlength="{{length}}" autocomplete="off" spellcheck="false">
            <output class="messages" for="f-{{id}}"></output>
          </div>
          {{/fields}}
        </fieldset>
        {{/groups}}
        <div class="actions"><button type="submit" accesskey="s">Save (Alt+S)</button></div>
        <section aria-labelledby="edits-heading"><h2 id="edits-heading">Edits</h2><ul id="edits"><li>Checking…</li></ul></section>
        </form>
        <section><h2>Revision history</h2><ol id="revisions" data-tumor="{{tumorId}}"></ol></section>
        <datalist id="sites">{{#sites}}<option value="{{code}}">{{label}}</option>{{/sites}}</datalist>
        <datalist id="histologies">{{#histologies}}<option value="{{code}}">{{label}}</option>{{/histologies}}</datalist>
        """

    static let error = """
        <section class="error-page">
        <h1>{{heading}}</h1>
        <p role="alert">{{message}}</p>
        <p><a href="/">Back to the worklist</a></p>
        </section>
        """
}
