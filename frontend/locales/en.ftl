# English: the second language of Bình An. Every key here must also be in vi.ftl
# (checked by a unit test).

## Layout
skip-to-content = Skip to main content
nav-label = Main navigation
nav-home = Home
lang-switch-label = Language
lock-now = Lock screen
sign-out = Sign out
footer-help = For help, contact your province's system administrator.

## Page names (neutral titles, never personal data)
page-login = Sign in
page-home = Home

## Sign-in
login-heading = Sign in
login-username = Username
login-password = Password
login-code = Verification code (6 digits)
login-code-hint = The code your authenticator app shows now. Leave it empty if your account does not use a code.
login-submit = Sign in
login-help = Forgot your password or lost the phone with your authenticator app? Contact your province's system administrator.
login-error-missing-username = Enter your username.
login-error-missing-password = Enter your password.
login-error-code-format = The verification code is exactly 6 digits. Enter the code your authenticator app shows now.
login-error-code-required = This account needs a verification code. Enter the 6-digit code your authenticator app shows now.
login-error-invalid = The username, password or verification code is not right. Check capital letters, turn off Vietnamese typing (Telex/VNI) for the password, and try again.
login-error-form-expired = The sign-in page was open too long. Enter your details again and sign in.
login-notice-session-ended = Your session ended after a time without use. Please sign in again.
login-notice-signed-out = You have signed out.

## Roles
role-social_worker = Commune social worker
role-supervisor = Case supervisor
role-safe_house_staff = Safe-house staff
role-committee_member = Member of the Committee for the Advancement of Women
role-admin = System administrator

## Scope
scope-term-communes = Communes and wards
scope-term-safe-house = Safe house
scope-term-general = Scope
scope-province = The whole province of { $name }
scope-system = The whole system

## Home
home-signed-in-as = Signed in
home-tasks-heading = Your work here
home-tasks-note = Each function appears in the navigation at the top of the page when it is ready.
home-safety-heading = Working safely
home-safety-lock = { $minutes ->
    [one] The screen locks itself after { $minutes } minute without use.
   *[other] The screen locks itself after { $minutes } minutes without use.
} When you leave the device, press “Lock screen”; when you are done, sign out.

## What each role does (DESIGN §1)
task-social_worker-intake = Receive reports and open cases
task-social_worker-assess = Assess risk and make the action plan
task-social_worker-record = Record consent, protection measures and notes
task-social_worker-refer = Refer to service providers and request placements in a safe house
task-social_worker-follow-up = Follow up cases and propose their closure
task-supervisor-all = Everything a commune social worker does, across the province
task-supervisor-approve = Approve closures and best-interest consent overrides for children
task-supervisor-reassign = Reassign cases
task-supervisor-erasure = Order the erasure of personal details on request
task-supervisor-deadlines = Watch deadlines that are near or passed
task-safe_house_staff-requests = See placement requests to your house; accept or decline them
task-safe_house_staff-check-in = Check residents in and out
task-safe_house_staff-notes = Record notes during the stay
task-safe_house_staff-identity = A resident's name and phone show only from acceptance until check-out
task-committee_member-statistics = Anonymized statistics within your committee's scope
task-committee_member-reports = The 6-month report (due before 10 June) and the annual report (due before 10 November)
task-committee_member-exports = Thematic reports; download as CSV or XLSX, or print
task-committee_member-anonymous = No names or personal details; numbers below the threshold are hidden
task-admin-accounts = Manage user accounts
task-admin-registers = Manage safe houses, service providers and administrative units
task-admin-settings = System settings and audit log verification
task-admin-separation = Administrators cannot read the contents of cases

## Lock screen
lock-title = Screen locked
lock-help = Enter your password to continue working.
unlock-submit = Unlock
unlock-busy = Checking…
unlock-error-wrong = The password is not right. Enter your password again (with Vietnamese typing off).
unlock-error-too-many = Too many attempts. Sign out, then sign in again.
unlock-error-session-ended = Your session has ended. Sign out, then sign in again.
unlock-error-failed = The screen could not be unlocked because of a server error. Try again in a few minutes, or sign out and sign in again.
unlock-error-network = The server cannot be reached. Check the network connection and try again.

## Error pages
error-back = Back to the home page
error-403-title = Not allowed
error-403-text = Your account may not see this page. If you need it, ask the system administrator.
error-404-title = Page not found
error-404-text = This page does not exist or you may not see it. Check the address or go back to the home page.
error-500-title = System error
error-500-text = The system failed while handling the request. Data saved before is not affected. Try again; if the error stays, tell the system administrator.
error-503-title = System temporarily unavailable
error-503-text = The system is under maintenance or overloaded. Try again in a few minutes.
error-other-title = The request could not be done
error-other-text = The request was not valid. Go back to the previous page and try again.
