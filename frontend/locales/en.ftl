# English: the second language of Bình An. Every key here must also be in vi.ftl
# (checked by a unit test).

## Layout
skip-to-content = Skip to main content
nav-label = Main navigation
nav-home = Home
nav-account = Account
nav-admin-users = Manage accounts
lang-switch-label = Language
lock-now = Lock screen
sign-out = Sign out
footer-help = For help, contact your province's system administrator.

## Page names (neutral titles, never personal data)
page-login = Sign in
page-home = Home
page-account = Account
page-second-factor = Two-step verification
page-recovery-codes = Recovery codes
page-admin-users = Manage accounts
page-admin-user-new = New account
page-admin-password = New password
page-admin-confirm = Confirm

## Sign-in
login-heading = Sign in
login-username = Username
login-password = Password
login-code = Verification code
login-code-hint = The 6-digit code your authenticator app shows now, or one of your recovery codes. Leave it empty if your account does not use a code.
login-submit = Sign in
login-help = Forgot your password or lost the phone with your authenticator app? Contact your province's system administrator.
login-error-missing-username = Enter your username.
login-error-missing-password = Enter your password.
login-error-code-format = The verification code is the 6-digit code your authenticator app shows now, or a recovery code like abcde-fghjk. Enter it again.
login-error-code-required = This account needs a verification code. Enter your password again, then the 6-digit code your authenticator app shows now (or a recovery code).
login-error-invalid = The username, password or verification code is not right. Check capital letters, turn off Vietnamese typing (Telex/VNI) for the password, and try again.
login-error-form-expired = The sign-in page was open too long. Enter your details again and sign in.
login-notice-session-ended = Your session ended after a time without use. Please sign in again.
login-error-too-many = Too many sign-in attempts from this device. Wait a minute, then try again.
login-notice-signed-out = You have signed out.
login-notice-password-changed = Your password was changed and every session has ended. Sign in with the new password.

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

## Forms
form-has-errors = Some fields need correcting. Follow the note under each one, then send the form again.

## My account
account-heading = Your account
account-who-heading = Account details
account-display-name = Name
account-username = Username
account-role = Role
account-second-factor-heading = Two-step verification
account-second-factor-on = On
account-second-factor-on-text = When you sign in, you also enter the 6-digit code from your authenticator app.
account-second-factor-replace = Moving to a new phone
account-second-factor-off = Off
account-second-factor-off-text = A 6-digit code from an authenticator app protects your account even when someone else knows your password.
account-second-factor-set-up = Turn on two-step verification
account-password-heading = Change password
account-password-rules = At least 12 characters. A few unrelated words work well: easy for you to remember, hard for others to guess.
account-current-password = Current password
account-new-password = New password
account-repeat-password = New password again
account-password-after = After the change every session of yours ends, this one too. Sign in again with the new password.
account-password-submit = Change password
account-error-current-missing = Enter your current password.
account-error-current-wrong = The current password is not right. Enter it again (with Vietnamese typing turned off).
account-error-repeat = The two new passwords are not the same. Enter them again.
account-error-new-refused = The new password cannot be used. Choose another one.
account-error-new-too-short = The new password needs at least 12 characters.
account-error-new-too-long = The new password can have at most 128 characters.
account-error-new-guessable = The new password is too common or too easy to guess (perhaps because it is like your name). Use a few unrelated words.

## Two-step verification
second-factor-heading = Set up two-step verification
second-factor-replace-text = Two-step verification is on. If you change or lose your phone, ask the system administrator to reset it; at your next sign-in you set it up on the new phone. Meanwhile each recovery code still works once.
second-factor-back-to-account = Back to your account
second-factor-required-notice = Your role needs two-step verification. Finish setting it up to start working.
second-factor-step-app = Install an authenticator app on your phone, such as Google Authenticator, Microsoft Authenticator or FreeOTP.
second-factor-step-scan = In the app, add an account and scan this QR code:
second-factor-qr-label = QR code that adds your Bình An account to an authenticator app
second-factor-open-app = On this phone? Open it in your authenticator app
second-factor-step-type = If you cannot scan it, type this key into the app:
second-factor-step-code = Enter the 6-digit code the app shows to confirm.
second-factor-code = 6-digit code from the app
second-factor-confirm = Confirm
second-factor-error-code = That code is not right. Enter the code the app shows now (it changes every 30 seconds) and check the time on your phone.
second-factor-start-over = Start again with a new QR code

## Recovery codes
recovery-codes-heading = Recovery codes
recovery-codes-done = Two-step verification is on.
recovery-codes-text = If you lose your phone, you can sign in with one of these codes instead of the 6-digit code. Write them on paper and keep it somewhere safe.
recovery-codes-once = Each code works once. These codes are shown only this once, now.
recovery-codes-continue = Continue to the home page

## Managing accounts (administrator)
admin-users-heading = Manage accounts
admin-users-new = Create a new account
admin-users-list-heading = Accounts
admin-col-username = Username
admin-col-name = Name
admin-col-role = Role
admin-col-scope = Scope
admin-col-state = State
admin-col-second-factor = Two-step verification
admin-col-actions = Actions
admin-own-account = Your own account
admin-action-reset = New password
admin-action-disable = Disable
admin-notice-disabled = The account is disabled; every session of it has ended.
admin-state-active = Active
admin-state-locked = Locked after wrong passwords
admin-state-disabled = Disabled
admin-second-factor-on = On
admin-second-factor-off = Off
admin-new-heading = Create a new account
admin-back-to-list = Back to the accounts
admin-field-username = Username
admin-field-username-hint = 3 to 32 characters: lower-case letters without accents, digits, dot, dash or underscore (for example hanh.nt).
admin-field-display-name = Name
admin-field-role = Role
admin-field-communes = Communes and wards assigned
admin-field-communes-hint = Required for commune social workers; for a member of a local Committee, the Committee's communes. Other roles need none.
admin-field-safe-house = Safe house code
admin-field-safe-house-hint = Only for safe-house staff.
admin-new-password-note = The first password is made by the system and shown only once, after the account is created.
admin-new-submit = Create account
admin-error-username = A username has 3 to 32 characters: lower-case letters without accents, digits, dot, dash or underscore.
admin-error-username-taken = This username is taken. Choose another one.
admin-error-display-name = Enter a name (at most 80 characters).
admin-error-communes = A commune social worker needs at least one commune or ward.
admin-error-safe-house = Safe-house staff need the code of their safe house.
admin-error-role = Choose a role from the list.
admin-error-other = This value is not valid.
admin-disable-heading = Disable this account?
admin-disable-text = This person will no longer be able to sign in, and every open session ends at once.
admin-disable-submit = Disable account
admin-reset-heading = Give a new password?
admin-reset-text = The system makes a new password; the old one stops working and every open session ends.
admin-reset-submit = Make a new password
admin-created-heading = Account created
admin-reset-done-heading = New password made
admin-password-label = Password
admin-password-once = This password is shown only once. Write it down now.
admin-password-hand-over = Hand the password to the person yourself (not by text message or social media) and ask them to change it on the Account page after their first sign-in.
admin-password-second-factor = This role needs two-step verification: at the first sign-in the person is guided through setting it up on their phone.

page-locked = Screen locked
locked-heading = The screen is locked
locked-text = Enter the password to open it again. If this is not you, sign out.
