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
page-admin-password = Enrolment code
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
home-safety-heading = Working safely
home-safety-lock = { $minutes ->
    [one] The screen locks itself after { $minutes } minute without use.
   *[other] The screen locks itself after { $minutes } minutes without use.
} When you leave the device, press “Lock screen”; when you are done, sign out.

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
admin-field-safe-house = Safe house
admin-field-safe-house-hint = Only for safe-house staff: choose where the person works among the active houses.
admin-new-password-note = Nobody sees the password: its owner chooses it with an enrolment code. An account that reads cases needs a supervisor's confirmation first.
admin-new-submit = Create account
admin-error-username = A username has 3 to 32 characters: lower-case letters without accents, digits, dot, dash or underscore.
admin-error-username-taken = This username is taken. Choose another one.
admin-error-display-name = Enter a name (at most 80 characters).
admin-error-communes = A commune social worker needs at least one commune or ward.
admin-error-safe-house = Safe-house staff need the house where they work.
admin-error-role = Choose a role from the list.
admin-error-other = This value is not valid.
admin-disable-heading = Disable this account?
admin-disable-text = This person will no longer be able to sign in, and every open session ends at once.
admin-disable-submit = Disable account
admin-reset-heading = Give a new password?
admin-reset-text = The old password stops working and every session ends; its owner chooses a new one with an enrolment code. For an account that reads cases, this waits for a supervisor and the code goes to the supervisor.
admin-reset-submit = Give a new enrolment code
admin-created-heading = Account created
admin-reset-done-heading = New enrolment code given
admin-password-second-factor = This role needs two-step verification: at the first sign-in the person is guided through setting it up on their phone.

page-locked = Screen locked
locked-heading = The screen is locked
locked-text = Enter the password to open it again. If this is not you, sign out.

## The case vocabulary: one message per stable code (domain::vocabulary and friends).
status-intake = Intake
status-assessment = Assessment
status-action_planning = Action planning
status-implementation = Implementation
status-follow_up = Follow-up
status-closed = Closed
report-source-commune_committee = Commune People's Committee
report-source-police = Police
report-source-school = School
report-source-village_head = Village head
report-source-mass_organisation = Mass organisation (Women's Union, Youth Union…)
report-source-hotline = Hotline
report-source-health_facility = Health facility
report-source-self = The survivor herself
report-source-other = Other
report-channel-in_person = In person
report-channel-phone = Phone
report-channel-message = Message
report-channel-referral = Referred by another agency
report-channel-other = Other
form-physical = Physical violence
form-mental = Mental violence
form-sexual = Sexual violence
form-economic = Economic violence
act-harm_health_life = Ill-treatment, beating, threats or other acts harming health or life
act-offending_dignity = Insults, reproaches or other acts offending honour and dignity
act-forced_to_witness = Forcing someone to witness violence
act-neglect = Abandonment, neglect, not caring for or raising
act-discrimination = Stigma and discrimination for body, gender, sex or ability
act-isolation = Keeping from relatives, isolating, constant psychological pressure
act-obstructing_family_rights = Obstructing rights and duties between family members
act-disclosing_private_life = Disclosing private life to offend honour and dignity
act-forced_sex = Forced sex or other forced sexual acts
act-forced_marriage_divorce = Forced child marriage, marriage or divorce, or obstructing them
act-property_appropriation = Appropriating or destroying property
act-economic_control = Forced labour or contributions; controlling assets and income
act-confinement = Isolation, confinement
act-forced_eviction = Forcing out of the lawful home
gbv-type-rape = Rape
gbv-type-sexual_assault = Sexual assault
gbv-type-physical_assault = Physical assault
gbv-type-forced_marriage = Forced marriage
gbv-type-denial_of_resources = Denial of resources, opportunities or services
gbv-type-psychological_abuse = Psychological or emotional abuse
gbv-context-intimate_partner = Intimate partner violence
gbv-context-child_sexual_abuse = Child sexual abuse
gbv-context-early_marriage = Early marriage
gbv-context-family_non_partner = Family member (not a partner)
gbv-context-trafficking = Trafficking
gbv-context-other = Other
sex-female = Female
sex-male = Male
sex-other = Other
sex-unknown = Unknown
relationship-spouse = Spouse
relationship-former_spouse = Former spouse
relationship-partner = Partner
relationship-parent = Parent
relationship-step_parent = Step-parent
relationship-child = Child
relationship-sibling = Sibling
relationship-other_relative = Other relative
relationship-in_law = In-law
relationship-non_family = Not family
relationship-unknown = Unknown
consent-purpose-services = Receiving support services
consent-purpose-share_health = Sharing with health services
consent-purpose-share_police = Sharing with the police
consent-purpose-share_legal_aid = Sharing with legal aid
consent-purpose-share_psychosocial = Sharing with psychosocial support
consent-purpose-share_social_protection = Sharing with social or child protection
consent-purpose-share_other = Sharing with other services
consent-purpose-placement = Going to a safe house
consent-purpose-statistics = Use in statistics
consent-giver-survivor = The survivor
consent-giver-guardian = The guardian
consent-giver-child = The child (from age 7)
measure-order_to_stop = Order to stop the violence
measure-summons_commune_police = Summons to the commune police
measure-no_contact_order = No-contact order
measure-temporary_shelter = Temporary shelter
measure-medical_care = Medical care
measure-legal_aid_counselling = Legal aid and counselling
measure-perpetrator_education = Education of the perpetrator
measure-community_criticism = Criticism in the community
measure-community_service = Community service
measure-administrative_measures = Administrative sanctions
measure-criminal_procedure = Criminal procedure
ordered-by-commune_chair = Commune chair
ordered-by-court = Court
ordered-by-commune_police = Commune police
ordered-by-other = Other
service-health = Health
service-police = Police
service-legal_aid = Legal aid
service-psychosocial = Psychosocial support
service-social_protection_centre = Social protection centre
service-safe_house = Safe house
service-education = Education
service-livelihood = Livelihood
service-child_protection = Child protection
closure-reason-goals_met = Goals met
closure-reason-safe_and_stable = Survivor safe and stable
closure-reason-moved_away = Moved away or transferred
closure-reason-consent_withdrawn = Survivor withdrew consent
closure-reason-no_contact_possible = No contact possible
closure-reason-other = Other
erasure-reason-survivor_request = The survivor asked for it
erasure-reason-entered_in_error = Entered in error
erasure-reason-court_order = Court order
erasure-reason-retention_expired = Retention period over
risk-level-low = Low
risk-level-medium = Medium
risk-level-high = High
risk-level-severe = Severe
risk-factor-threats_to_kill = Threats to kill her or the children
risk-factor-weapon = A weapon used, threatened or at hand
risk-factor-strangulation = Strangulation, choking or suffocation
risk-factor-escalation = Violence more frequent or more severe
risk-factor-pregnancy = Pregnant
risk-factor-separation = Has left him or is trying to
risk-factor-children_at_risk = Children at risk or harmed
risk-factor-sexual_violence = Sexual violence
risk-factor-stalking = Stalking, following, controlling her movements
risk-factor-substance_abuse = Heavy alcohol or drug use by the perpetrator
risk-factor-perpetrator_suicidal = The perpetrator threatened or attempted suicide
risk-factor-survivor_fears_for_life = She believes he will kill or seriously hurt her
risk-factor-prior_reports = Violence reported before
risk-factor-no_safe_place = Nowhere safe to stay tonight
age-group-0-5 = Under 6
age-group-6-11 = 6–11
age-group-12-15 = 12–15
age-group-16-17 = 16–17
age-group-18-24 = 18–24
age-group-25-59 = 25–59
age-group-60plus = 60 and over
referral-status-pending = Pending
referral-status-accepted = Accepted
referral-status-declined = Declined
referral-status-completed = Completed
referral-status-cancelled = Cancelled
approval-kind-closure = Closure
approval-kind-consent_override = Best-interest consent override
approval-status-requested = Waiting for a decision
approval-status-approved = Approved
approval-status-rejected = Rejected
approval-status-withdrawn = No longer needed (the case closed or reopened)
deadline-urgent_intervention = Urgent intervention (12 hours)
deadline-support_plan = Support plan (5 working days)
deadline-decision = Supervisor's decision (2 working days)
deadline-no_contact_order_ends = No-contact order ends
deadline-follow_up = Follow-up
deadline-state-overdue = Overdue
deadline-state-due_soon = Due soon
deadline-state-open = On time
deadline-state-met = Done
note-kind-note = Note
note-kind-follow_up = Follow-up

## Cases: navigation and page names (never a person's name)
nav-cases = My cases
nav-intake = New report
nav-approvals = Approvals
nav-overview = Area overview
page-cases = My cases
page-intake = New report
page-case = Case { $number }
page-case-erase = Erase a case's personal data
page-approvals = Requests awaiting approval
page-overview = Area overview

## Case list and search
cases-heading = My cases
cases-new = Take a new report
cases-filter-status = Step
cases-filter-commune = Commune
cases-filter-overdue = Only cases with something overdue
cases-filter-submit = Filter the list
cases-none = No cases.
cases-search-heading = Find by name or phone number
cases-search-hint = With or without Vietnamese accents. Only cases you may see are searched; the name never appears in the page's address.
cases-search-name = Survivor's full name
cases-search-phone = Phone number
cases-search-submit = Search
cases-search-empty = Type a name or a phone number to search.
cases-search-results = Search results
case-number = Case number
case-commune = Commune
case-status = Step
case-risk = Risk level
case-age-group = Age group
case-next-deadline = Next deadline

## Taking a report
intake-heading = New report
intake-step-now = What matters now
intake-step-report = The report
intake-step-survivor = The survivor
intake-step-incident = The incident
intake-step-perpetrator = The perpetrator
intake-step-safe-contact = Safe contact
intake-danger = Someone is in danger right now (tonight)
intake-child = A child is in danger or is with the survivor
intake-report-source = Who reported
intake-report-channel = How it was reported
intake-reported-at = When the report came in
intake-commune = Commune where it happened
intake-commune-not-yours = You take reports only in the communes assigned to you. Choose another commune.
intake-full-name = Full name
intake-sex = Sex
intake-birth-date = Birth date
intake-age-group = Age group
intake-age-group-hint = Only when the birth date is not known.
intake-phone = Phone number
intake-disability = Has a disability
intake-id-number = ID card number
intake-address = Address
intake-guardian-name = Guardian's or parent's name
intake-guardian-phone = Guardian's phone number
intake-occurred-on = Date it happened
intake-forms = Forms of violence
intake-acts = Acts of domestic violence (Article 3, Law 13/2022)
intake-gbv-type = Type of violence (GBVIMS)
intake-gbv-context = Context (GBVIMS)
intake-place = Where it happened
intake-narrative = What happened
intake-perpetrator-name = Perpetrator's full name
intake-relationship = Relationship to the survivor
intake-perpetrator-commune = Commune where he or she lives
intake-safe-contact = How to contact her safely
intake-safe-contact-hint = For example: channels and times that are safe, a code word, numbers never to call.
intake-duplicate-check = Check for an existing case
intake-duplicate-found = This person may already have a case.
intake-duplicate-open = Open that case instead of creating a new one:
intake-duplicate-none = No case with this name and birth year, phone number or ID number.
intake-duplicate-missing = Choose the commune and type the name before checking.
intake-save-note = The case is saved when you press Save; what is not known yet can be added later.
intake-save = Save the case

## Field messages
field-required-mark = *
field-choose-blank = — Choose —
field-date-hint = Day/month/year, for example 08/03/2026.
field-time-hint = Day/month/year hour:minute, for example 08/03/2026 21:40.
field-required = Fill in this field.
field-future = This is in the future. Check it again.
field-after-report = The incident cannot be after the report.
field-born-after-report = This birth date is after the day of the report. Check it again.
field-too-old = This birth date is more than 120 years ago. Check it again.
field-choose-form = Choose at least one form of violence.
field-closure-reason = Choose the reason for closing.
field-choose = Choose an item from the list.
field-birth-or-age = Give the birth date or choose the age group.
field-commune = Choose a commune from the list.
field-commune-not-in-force = This commune did not exist on the day of the report. Choose again.
field-phone = A phone number has digits only (9 to 13), with spaces, + - . ( ) allowed.
field-too-long = Too long: at most { $max } characters.
field-control = Contains characters that are not allowed. Type it again.
field-consent-giver = For this survivor, consent is given by: { $who }.
field-ends-after-start = The end must be after the start.
field-no-contact-by = A no-contact order is made by the commune chair or a court.
field-no-contact-end = Give the date the no-contact order ends.
field-no-contact-limit = The no-contact order is longer than the law allows: at most 3 days when the commune chair orders it, 4 months when a court does.
field-follow-up-date = A follow-up needs its date.
field-note-no-date = Only a follow-up has a date: choose "Follow-up" or leave the date empty.
field-closed-no-referral = A closed case is not referred; reopen it first.
field-provider = Choose a service provider from the list.
field-date-format = This date could not be read. Type it as day/month/year, for example 08/03/2026.
field-check = Check this field again.

## Case page
case-heading = Case { $number }
case-back = Back to case { $number }
case-danger = Someone is in immediate danger: this case comes first.
case-waiting-closure = The request to close this case is waiting for a supervisor's approval.
case-erased = This case's personal data was erased for good; the statistics are unchanged.
case-summary-heading = Summary
case-reported-at = Reported at
case-risk-none = Risk not assessed yet.
case-yes = Yes
case-closure-reason = Reason for closing
case-safe-contact-heading = Safe contact — read before any contact
case-safe-contact-none = No safe-contact note yet. Ask the survivor how to reach her safely before calling.
case-safe-contact-hint = Whoever answers may be the perpetrator. Always follow this note.
case-survivor-heading = Survivor
case-incident-heading = Incident
case-perpetrator-heading = Perpetrator
case-deadlines-heading = Deadlines
case-deadlines-none = No deadlines.
case-actions-heading = Next step
case-actions-none = There is no step for you to take here.
case-move-to = Move to: { $step }
case-close-heading = Close the case
case-close-hint = High-risk and child cases need a supervisor's approval. Referrals must be finished first.
case-closure-comment = Note for the supervisor
case-close-submit = Ask to close the case
case-erase-link = Erase this case's personal data…
case-risk-heading = Risk assessment
case-risk-factors = Risk factors present
case-risk-note = Note
case-risk-submit = Save the risk assessment
case-consents-heading = Consent
case-consents-none = No consent recorded yet.
case-consent-purpose = Consent to
case-consent-giver = Given by
case-consent-given-at = When it was given
case-consent-submit = Record consent
case-consent-withdraw = Withdraw consent
case-consent-withdrawn = withdrawn at { $when }
case-override-reason = Reason (in the child's best interest)
case-override-ask-hint = A supervisor may approve a best-interest override. The reason is audited.
case-override-give-hint = As a supervisor you may approve a best-interest override. The reason is audited.
case-override-ask = Ask a supervisor for an override
case-override-give = Approve the override
case-measures-heading = Protection measures
case-measures-none = No measures yet.
case-measure-type = Measure
case-measure-by = Ordered by
case-measure-by-hint = No-contact order: the commune chair (at most 3 days) or a court (at most 4 months).
case-measure-starts = Starts
case-measure-ends = Ends
case-measure-details = Details
case-measure-submit = Record the measure
case-referrals-heading = Referrals
case-referrals-none = No referrals yet.
case-referral-provider = Service provider
case-referral-note = Note
case-referral-submit = Refer
case-referral-by-override = under an approved override
case-notes-heading = Notes and follow-ups
case-notes-none = No notes yet.
case-note-kind = Kind
case-note-body = Text
case-note-due = Follow-up date
case-note-due-hint = Follow-ups only.
case-note-due-at = due { $when }
case-note-done-at = done { $when }
case-note-submit = Save the note
case-follow-up-done = Mark as done
case-approvals-heading = Requests and decisions
case-approvals-none = No requests yet.
case-timeline-heading = Timeline
case-timeline-none = The case has not moved yet.
case-edit-heading = Correct the survivor's details and the safe-contact note
case-edit-submit = Save changes
case-done-created = The case was saved.
case-done-saved = The changes were saved.
case-done-moved = The case moved on.
case-done-closed = The case was closed.
case-done-closure-requested = The request to close was sent; it waits for a supervisor's approval.
case-done-risk = The risk assessment was saved.
case-done-consent = The consent was recorded.
case-done-withdrawn = The consent was withdrawn.
case-done-override-requested = The override request was sent to a supervisor.
case-done-override-given = The override was approved; the referral can be made.
case-done-measure = The measure was recorded.
case-done-note = The note was saved.
case-done-follow-up = The follow-up was marked as done.
case-done-referred = The referral was made.
case-done-referral = The referral was updated.
case-done-erased = The case's personal data was erased.
case-erase-heading = Erase a case's personal data
case-erase-what = Names, phone numbers, addresses, notes and every personal detail of the case become unreadable for good. The statistics do not change.
case-erase-final = This cannot be undone.
case-erase-reason = Reason
case-erase-submit = Erase for good

## Approvals and overview (supervisors)
approvals-heading = Requests awaiting approval
approvals-none = No requests are waiting.
approvals-about = About
approvals-requested = Requested at
approvals-due = Decide by
approvals-comment = Supervisor's comment
approvals-approve = Approve
approvals-reject = Reject
approvals-done-approved = Approved.
approvals-done-rejected = Rejected.
overview-heading = Area overview
overview-hint = Per commune: open cases, cases with something overdue, high risk, and cases by step.
overview-none = No cases yet.
overview-open = Open
overview-overdue = Something overdue
overview-high-risk = High risk
overview-by-status = By step

## Home: what needs doing
home-attention-heading = Needs attention now
home-attention-none = No case is overdue or due soon.
home-approvals-waiting = { $count ->
    [one] { $count } request is waiting for your decision
   *[other] { $count } requests are waiting for your decision
}
home-all-cases = See all cases

## Safe houses and placements
safe-house-kind-trusted_address = Trusted address
safe-house-kind-community_safe_house = Community safe house
safe-house-kind-social_protection_centre = Social protection centre
check-out-outcome-returned_home_safely = Returned home safely
check-out-outcome-with_relatives = With relatives
check-out-outcome-social_protection_centre = To a social protection centre
check-out-outcome-other = Other
decline-reason-no_bed = No bed
decline-reason-cannot_meet_needs = Cannot meet her needs
decline-reason-safety_concern = Safety concern
decline-reason-other = Other
placement-status-requested = Waiting for the house
placement-status-accepted = Accepted, beds held
placement-status-hold_expired = Hold expired
placement-status-declined = Declined
placement-status-checked_in = Staying
placement-status-checked_out = Left
placement-status-cancelled = Cancelled
page-admin-houses = Safe houses
page-admin-house-new = New safe house
nav-admin-houses = Safe houses
admin-houses-heading = Safe houses and trusted addresses
admin-houses-list-heading = List
admin-houses-none = No safe house yet.
admin-houses-new = Add a safe house
admin-houses-back = Back to the list
admin-houses-submit = Save the safe house
admin-house-created = The safe house was added.
admin-house-name = Name
admin-house-commune = Commune
admin-house-kind = Kind
admin-house-beds = Beds
admin-house-takes = Takes
admin-house-children-yes = Takes children
admin-house-children-no = No children
admin-house-accessible-yes = Accessible
admin-house-active = Active
admin-house-inactive = Inactive
admin-house-address = Address
admin-house-address-hint = Encrypted; only the house's staff, supervisors and the worker of an accepted placement see it.
admin-house-capacity = The number of beds is a number from 1 to 500.
field-before-2000 = This date is before 2000: check it.
field-before-1900 = This date is before 1900: check it.
field-too-far-ahead = This date is more than two years ahead: check it.
field-past = This date has passed: choose a day from today.
field-safe-house = Choose a safe house from the list.
field-near-perpetrator = The perpetrator lives in this commune: give the reason for this house, or choose another.
field-children = Choose each child's age group (under 18).
field-children-many = At most 12 children in one request.
field-beds = The number of beds is a number from 1 to 500.
field-commune-province = This commune is not in the province: choose again.

## Free places and a safe house's board
nav-safe-houses = Free places
nav-placements = Board
page-safe-houses = Free places
page-house-board = Board
houses-heading = Free places in safe houses
houses-hint = Free places as of when the page was opened. An address is given only once the house accepts.
houses-none = No safe house is active yet.
houses-how-to-ask = To ask for a placement, open the case and fill in “Placement”.
house-name = Safe house
house-free = Free places
house-free-of = { $free } of { $capacity } places free
house-commune = Commune or ward
house-kind = Kind
house-children = Takes children
house-accessible = Accessible
house-waiting = Requests waiting
house-yes = Yes
house-no = No
board-house-heading = Your house
board-requests-heading = Requests waiting
board-requests-none = No request is waiting.
board-holds-heading = Places held
board-holds-none = No place is held.
board-residents-heading = Staying now
board-residents-none = No one is staying.
board-past-heading = Recently ended
board-past-none = Nothing has ended yet.
board-accept = Accept
board-decline-reason = Reason to decline
board-decline = Decline
board-check-in = Check in
board-check-out-outcome = Where she goes
board-check-out = Check out
board-done-accept = Accepted. The places are held until the time shown below.
board-done-decline = The request was declined.
board-done-check-in = Checked in.
board-done-check-out = Check-out recorded.
home-house-waiting = { $count ->
    [one] { $count } request is waiting
   *[other] { $count } requests are waiting
}
home-house-board = Open the board
placement-name = Name
placement-phone = Phone
placement-alias = Alias
placement-alias-hint = What the house will call her: never her real name.
placement-person = Who
placement-children = Children with her
placement-children-none = None
placement-children-of = Children with her: { $group }
placement-beds = Places
placement-risk = Risk level
placement-needs = Needs
placement-requested = Requested
placement-expected-end = Expected to leave
placement-overdue = Past the expected end
placement-hold-expires = Held until
placement-checked-in = Checked in
placement-checked-out = Left
placement-decline-reason = Reason declined
placement-outcome = Went to
placement-address = Address
placement-house = Safe house
placement-near-reason = Why this house all the same
placement-near-reason-hint = The perpetrator lives in this commune or ward. Say why this house is safe all the same, or choose another.
case-placements-heading = Placement
case-placements-none = No placement has been requested.
case-placement-cancel = Cancel the request
case-placement-board-link = See free places in safe houses
case-placement-request-heading = Ask for a placement
case-placement-submit = Send the request
case-done-placement-requested = The placement request was sent.
case-done-placement-cancelled = The placement request was cancelled.
field-number = Type a number from 0 to 12.

## Statistics and periodic reports (Committee for the Advancement of Women)
nav-reports = Statistics, reports
page-reports = Statistics and reports
home-next-report = Next report due
home-open-reports = Open statistics and reports
reports-heading = Statistics and periodic reports
reports-next = Next report due
reports-due-before = due before { $due }
reports-ready = Reports with figures
reports-none = No reporting period has ended yet.
reports-open = Open the full report
reports-chart-alt = Chart: { $title } (the figures are in the table below)
reports-charts = Charts
reports-about = About this report
reports-download-xlsx = Download XLSX
reports-download-csv = Download CSV
reports-print = Printable page (save as PDF)
reports-print-hint = Use the browser's Print command (Ctrl+P) to print or save as PDF.
reports-printed-from = Printed from Bình An. Anonymized figures; cells marked "hidden" cannot be worked out from the totals.
reports-back = Back to statistics
stats-home-collecting = Collecting figures until the end of { $last }.
stats-home-ready = Figures are ready: open the report to read and download it.
stats-report-half-year = 6-month report { $year }
stats-report-annual = Annual report { $year }
stats-status-collecting = Collecting figures
stats-status-ready = Figures ready; they can still change if late cases are recorded before the due day
stats-status-due = Past its due day
stats-period = Figures from { $first } to the end of { $last }
stats-due = Due before { $due }
stats-not-ready = This reporting period runs to the end of { $last }; its figures come once it is over (due before { $due }).
stats-scope-province = Scope: the whole province
stats-scope-communes = Scope: { $names }
stats-cases = { $count } cases reported in the period
stats-cases-hidden = The number of cases in the period is hidden: with so few cases in this scope, the tables cannot publish the total without giving small cells away.
stats-withheld = Too few cases in this period (under { $k }) to publish figures for this scope without revealing personal information.
stats-legend = "hidden": a cell of 1 to { $k } − 1 cases, or a cell hidden as well so that small cells cannot be worked out from the totals.
stats-coverage = { $with } of { $of } communes have an active safe house or trusted address
stats-mostly-hidden = Most cells of this table are hidden because the numbers per commune are small: the other tables give the figures for the whole scope.
stats-hidden = hidden
stats-unknown = Unknown
stats-commune-other = Other unit (no longer listed)
stats-commune-split = { $name } (former, split between several communes)
stats-column-cases = Cases
stats-column-total = Total
stats-column-stays = Stays begun
stats-column-nights = Nights
stats-column-average = Average nights
stats-column-occupancy = Occupancy
stats-row-total = Total
stats-csv-table = Table
stats-csv-row = Row
stats-csv-column = Column
stats-csv-figure = Figure
stats-xlsx-sheet = Report
stats-table-cases_by_commune = Cases by commune
stats-table-cases_by_month = Cases by month
stats-table-survivors_by_age_and_sex = Survivors by age and sex
stats-table-survivor_groups = Survivors by group
stats-table-cases_by_form = Cases by form of violence (a case can have several forms)
stats-table-cases_by_gbv_type = Cases by type (GBVIMS)
stats-table-perpetrators = Perpetrators: relationship to the survivor and sex
stats-table-timeliness = Time from report to first intervention (cases acted on)
stats-table-protection_measures = Protection and support measures begun in the period
stats-table-referrals = Referrals to services and their outcome
stats-table-placements = Safe houses: stays, nights and occupancy
stats-table-closures = Cases closed in the period, by reason
stats-rows-cases_by_commune = Commune
stats-rows-cases_by_month = Month
stats-rows-survivors_by_age_and_sex = Age
stats-rows-survivor_groups = Group
stats-rows-cases_by_form = Form of violence
stats-rows-cases_by_gbv_type = Type
stats-rows-perpetrators = Relationship to the survivor
stats-rows-timeliness = Time
stats-rows-protection_measures = Measure
stats-rows-referrals = Service
stats-rows-placements = Kind of safe house
stats-rows-closures = Reason
stats-age-under_16 = Under 16
stats-age-16_17 = 16–17
stats-age-18_59 = 18–59
stats-age-60_plus = 60 and over
stats-sex-female = Female
stats-sex-male = Male
stats-sex-other_or_unknown = Other or unknown
stats-group-child_under_16 = Children under 16
stats-group-under_18 = Under 18 (GBVIMS)
stats-group-from_16_to_59 = 16 to 59
stats-group-from_60 = People 60 and over
stats-timeliness-within_12_hours = Within 12 hours
stats-timeliness-within_24_hours = 12 to 24 hours
stats-timeliness-within_3_days = 1 to 3 days
stats-timeliness-later = After 3 days

## Refusals (http::refusals): the fact, then the advice for the reader
refusal-stale-case = Someone else saved this case after you opened it.
refusal-stale-referral = Someone else updated this referral after you opened the page.
refusal-stale-placement = Someone else updated this placement after you opened the page.
refusal-transition = The case is at “{ $from }” and cannot move to “{ $to }”. { $count ->
        [0] There is no step it can move to.
       *[other] It can move to: { $allowed }.
    }
refusal-referral-step = The referral is “{ $from }”. { $count ->
        [0] It is finished and cannot change any more.
       *[other] It can become: { $allowed }.
    }
refusal-placement-step = The placement is “{ $from }”. { $count ->
        [0] It is finished and cannot change any more.
       *[other] It can only become: { $allowed }.
    }
refusal-consent-missing = Consent to “{ $purpose }” is missing from: { $who }.
refusal-open-referrals = { $count ->
        [one] one referral is still open
       *[other] { $count } referrals are still open
    }
refusal-active-placements = { $count ->
        [one] one placement is not finished
       *[other] { $count } placements are not finished
    }
refusal-open-work = work on it is not finished
refusal-closure-blocked = The case cannot close yet: { $what }.
list-and = { $first } and { $second }
refusal-already-decided = This request was decided already.
refusal-already-done = This was done already, or the case's personal data was erased.
refusal-already-requested = A request of this kind is already waiting for a supervisor's decision.
refusal-more-than-capacity = This house has { $capacity ->
        [one] one place
       *[other] { $capacity } places
    } in all; { $needed ->
        [one] one is needed
       *[other] { $needed } are needed
    } (she and the children with her).
refusal-not-enough-free = { $free ->
        [0] No place is free now
        [one] Only one place is free now
       *[other] Only { $free } places are free now
    }; { $needed ->
        [one] one is needed
       *[other] { $needed } are needed
    }.
refusal-case-closed = The case is closed.
refusal-override-only-children = An adult's refusal or withdrawal of consent stands: a best-interest override is only for a child's case.
refusal-house-no-children = This house does not take children.
refusal-house-inactive = This house is not taking anyone now.
advice-stale-form = What you typed is still below: review it and save again.
advice-stale-board = The page shows the latest state: review it and try again if it is still needed.
advice-consent-missing = Record the consent; for a child's case, a best-interest override can be asked for.
advice-closure-blocked = Finish them first.
advice-worker-choose-another = Choose another house.
advice-worker-another-or-wait = Choose another house, or wait until a place is free.
advice-staff-no-place = Decline the request with the reason “No place”, or accept it once someone has left.
advice-staff-decline = Decline this request so that the commune worker can find another house.
advice-staff-house-inactive = This house takes no one now: ask the system administrator if it is open again.
advice-reopen-first = Reopen the case first.
## Issue 15 item 11: expired holds
board-expired-heading = Hold expired
board-hold-again = Hold the places again
placement-hold-expired-at = Hold expired at
placement-hold-expired-hint = The places are no longer held and have been given back. The house can hold them again if they are still free, and then check her in; otherwise, cancel the request.

## Issue 15 item 14: each role's home page
home-attention-more = { $count ->
    [one] { $count } more case is overdue or due soon.
   *[other] { $count } more cases are overdue or due soon.
}
home-approvals-heading = Waiting for your decision
home-approvals-none = No request is waiting for your decision.
home-approvals-open = Open the approvals list
home-approval-due = due { $due }
home-approval-overdue = Overdue
home-house-holds = { $count ->
    [one] { $count } place is held
   *[other] { $count } places are held
}
home-house-expired = { $count ->
    [one] { $count } hold has expired
   *[other] { $count } holds have expired
}
home-house-residents = { $count ->
    [one] { $count } person is staying
   *[other] { $count } people are staying
}
home-house-identity = A resident's name and phone show only from acceptance until check-out.
home-admin-heading = Administration
home-admin-users = User accounts
home-admin-houses = Safe houses
home-admin-separation = Administrators cannot read the contents of cases.

## Issue 15 item 12: notes during a stay
stay-notes-heading = Notes during the stay
stay-note-label = New note
stay-note-hint = Short, at most 500 characters: health, needs, what the commune worker should know. The case's worker can read it; the house reads it only while she stays.
stay-note-submit = Save the note
board-done-note = The note is saved.
## Issue 15 item 7: reopening a closed case asks why
case-reopen-heading = Reopen the case
case-reopen-reason = Reason for reopening
case-reopen-hint = Why the case needs to be reopened (required). The reason is stored encrypted and shown on the timeline.
case-reopen-submit = Reopen the case
case-reopened = Case reopened
case-done-reopened = The case was reopened.

## Issue 15 item 8: who recorded each piece of work
case-recorded-by = Recorded by { $name }
case-author-unknown = unknown

## Issue 15 item 6: the approvals list shows what is asked and why
approvals-reason = The worker's reason
approvals-reason-none = The worker gave no reason.

## Issue 15 item 5: a split old commune is named as former
commune-former = { $name } (former)

## Issue 15 item 9: every intake field can be corrected
case-edit-birth-date-hint = The age group, and whether she is a child, are worked out again from the birth date, as on the day of the report.
## Issue 15 item 3: the administrator's safe-house pages and the staff account's house
page-admin-house-edit = Edit safe house
page-admin-house-deactivate = Deactivate safe house
admin-house-updated = The safe house's changes were saved.
admin-house-deactivated = The safe house is deactivated: it takes no new request and cannot be chosen for a new account.
admin-house-edit = Edit
admin-house-deactivate = Deactivate
admin-house-deactivate-heading = Deactivate this safe house?
admin-house-deactivate-text = It will take no new placement request and cannot be chosen for a new staff account. This is possible only when no request is waiting, no place is held and nobody is staying.
admin-house-deactivate-submit = Deactivate
admin-house-deactivate-open = { $count ->
    [one] Not yet: the house has { $count } open placement (a waiting request, a held place or a resident). Its staff answer or end it first.
   *[other] Not yet: the house has { $count } open placements (waiting requests, held places or residents). Its staff answer or end each first.
}
admin-house-stale = Someone else has just saved changes to this safe house. What you typed is kept: check the list, then save again.
admin-house-phone = Phone number
admin-house-phone-hint = Encrypted; the list never shows it.
admin-house-phone-error = A phone number has 9 to 13 digits (spaces and + - . ( ) allowed).
admin-house-sealed-kept = Registered: leave empty to keep it, type to replace it.
admin-house-sealed-none = None yet.
admin-field-safe-house-none = Not in a safe house
admin-field-safe-house-register = No safe house is active yet: add one first.
admin-error-communes-none = This role works in no commune: untick the communes.
admin-error-safe-house-none = Only safe-house staff belong to a safe house: choose "Not in a safe house".
admin-error-safe-house-inactive = This safe house is deactivated: choose another.
admin-error-safe-house-unknown = There is no such safe house: choose one from the list.

## Issue 15 item 4: choosing her own password at the first sign-in
page-choose-password = New password
choose-password-heading = Choose your own password
choose-password-why-heading = Why a new password?
choose-password-why = The password you are using was given by an administrator, so someone else knows it. Choose one only you know before anything else.
choose-password-given = The password you were given
choose-password-submit = Save the new password
choose-password-error-given = The password you were given is not right. Enter it again (with Vietnamese typing turned off).
choose-password-error-same = Choose a password other than the one you were given.
admin-state-new-password = Waiting for a password of their own
## Issue 15 item 1: immediate danger is a critical risk factor; an unassessed case says so
risk-factor-immediate_danger = In immediate danger
risk-level-unassessed = Not assessed

## Issue 15 item 10: one open placement per case; a transfer is a check-out, then a request
check-out-outcome-transferred = Moved to another place
refusal-placement-open = This case already has an open placement (status: { $status }); a case has one open placement at a time.
advice-placement-open = It is at { $house }. Cancel that request first; if she is staying there and must move, the house records the check-out with the outcome “{ $transferred }”, then send a new request.

## Issue 16 — Intake in steps
intake-step-person = The survivor and the report
intake-step-safety = Safety and consent
intake-step-risk = Known risks
intake-step-consent = Consent given
intake-step-review = Review and save
intake-progress = Step { $n }/{ $total } · { $step }
intake-step-has-problems = The step “{ $step }” has fields to fix.
intake-next = Next
intake-back = Back
intake-edit = Edit
intake-go-on-anyway = Create a new case anyway
intake-duplicate-passed = Checked: no existing case found for this person.
intake-risk-factors = Risk factors
intake-consent-purposes = The survivor agrees to
intake-consent-givers = Given by
intake-review-nothing = Nothing entered.
intake-review-yes = Yes
intake-more = Sex, ID number, address…
## Issue 16 — case page summary first, saving without reload, compact header
case-overview-heading = Where the case stands
case-steps-label = Steps of the case
case-step-done = done
case-step-closed = Closure
case-next-heading = To do now
case-next-risk = Assess the risk
case-next-consent = Record consent
case-next-placement = Request a safe-house placement
case-next-referral = Refer
case-next-measure = Add a measure
case-next-note = Follow-up note
case-next-close = Close the case
case-next-reopen = Reopen the case
case-index-heading = Sections of the case
case-see-all = See all ({ $count })
case-measure-add = Add a measure
case-note-add = Add a note
case-edit-open = Correct the case's details
menu = Menu
case-consent-add = Add a consent
case-referral-add = Add a referral
## Issue 16 — lists that scale
cases-filter-risk = Risk level
cases-filter-mine = Only cases assigned to me
cases-filter-child = Only children's cases
cases-total = { $count ->
    [one] { $count } case
   *[other] { $count } cases
}
cases-pages = Pages of the list
cases-next-page = Next page
cases-first-page = Back to the first page
cases-cursor-bad = This page's address no longer works: the list starts again from the first page.

## Issue 17 — two people to open a door
admin-users-two-people = An account that reads cases (social worker, supervisor, safe-house staff) works only once a supervisor confirms it; its enrolment code goes to that supervisor, never to the administrator.
admin-notice-already-waiting = A change of this account already waits for a supervisor (or there is nothing to change). Wait for that decision first.
admin-state-awaiting-confirmation = Waiting for a supervisor
admin-state-awaiting-enrolment = Waiting for its owner to enrol
admin-state-enrolment-expired = Enrolment code expired: give a new password
admin-state-change-waiting = a change waits for confirmation
admin-action-access = Change role, scope
admin-action-reset-2fa = Reset second factor
admin-action-enable = Enable again
admin-reset-2fa-heading = Reset the second factor?
admin-reset-2fa-text = For a lost phone. Their sessions and recovery codes end; at the next sign-in they set it up again. For an account that reads cases, this waits for a supervisor.
admin-reset-2fa-submit = Reset the second factor
admin-enable-heading = Enable the account again?
admin-enable-text = This person can sign in again with their own password. For an account that reads cases, this waits for a supervisor.
admin-enable-submit = Enable again
admin-waiting-heading = Waiting for a supervisor's confirmation
admin-waiting-text = This change lets the account read survivors' data, so a supervisor must confirm it. Once confirmed, the supervisor gets the enrolment code (where one is needed) to hand to its owner in person.
admin-reset-2fa-done-heading = Second factor reset
admin-enable-done-heading = Account enabled again
admin-access-done-heading = Role and scope changed
admin-access-heading = Change role and scope
admin-access-note = Narrowing takes effect at once. Widening (another commune, another role, another house) waits for a supervisor's confirmation.
admin-access-submit = Save the change
page-admin-user-access = Change role and scope
enrolment-code-label = Enrolment code
enrolment-code-expires = Expires
enrolment-code-once = This code is shown once, works once and expires after 72 hours. Copy it now.
enrolment-code-hand-over = Hand the code to its owner in person (not by message or social network). With it they open "Enrol" (/enrol) and choose their own password; nobody else knows it.
page-enrol = Enrol
enrol-heading = Enrol your account
enrol-why-heading = Choose your own password
enrol-why = Type your username and the enrolment code you were given, then choose your own password. The code works once.
enrol-code-hint = 16 characters, e.g. abcd-efgh-jkmn-pqrs (with or without dashes).
enrol-submit = Enrol and sign in
enrol-back-to-sign-in = Back to sign-in
enrol-error-form-expired = The page was open too long. Type it again and send it once more.
enrol-error-too-many = Too many attempts from this device. Wait a few minutes and try again.
enrol-error-username = Type your username.
enrol-error-code-missing = Type the enrolment code.
enrol-error-code = Wrong username or enrolment code, or the code was used or has expired. Check it, or ask the administrator for a new one.
login-enrol-link = First time here? Enrol with the code you were given
account-changes-heading = Account changes waiting for confirmation
account-changes-why = An administrator cannot open access to cases alone: every new account, wider scope, re-enabling, password or second-factor reset of someone who reads cases needs your confirmation. Confirm only when you know the person and their work.
account-changes-waiting = Waiting
account-changes-none = No change is waiting.
account-changes-asked-by = Asked by
account-changes-confirm = Confirm
account-changes-refuse = Refuse
account-changes-not-yours = You cannot confirm this change yourself (your own account, or you asked for it): another supervisor decides.
account-changes-recent = Decided in the last 30 days
account-changes-none-recent = No decision in the last 30 days.
account-changes-confirmed-by = Confirmed by
account-changes-refused-by = Refused by
account-changes-done-confirmed = Change confirmed.
account-changes-done-refused = Change refused.
account-changes-back = Back to account changes
account-code-heading = Confirmed: enrolment code
page-account-changes = Account changes
page-account-code = Enrolment code
account-change-create = New account
account-change-widen = Wider role or scope
account-change-enable = Enable again
account-change-reset-password = New password
account-change-reset-second-factor = Second-factor reset
home-account-changes = Account changes waiting for you
home-account-changes-none = No account change is waiting.
nav-account-changes = Account changes
access-log-heading = Who read or changed this case
access-log-none = Nobody else has read this case yet.
access-log-who = Person
access-log-role = Role
access-log-when = When
access-log-what = What

access-log-why = Every read and change of this case, newest first: who, role, when, what. The log holds no personal data.
access-log-server = The server (an operator command)
access-log-refused = refused
access-action-case-read = Read the case
access-action-case-create = Created the case
access-action-case-update = Changed the case
access-action-case-transition = Moved the case to another step
access-action-case-request-closure = Asked to close
access-action-case-record-consent = Recorded a consent
access-action-case-record-note = Wrote a note
access-action-case-refer = Referred to a service
access-action-case-request-placement = Asked for a safe-house place
access-action-case-approve = Decided an approval
access-action-case-override-consent = Best-interest override
access-action-case-reassign = Reassigned
access-action-case-erase = Erased the case data
access-action-case-read-access-log = Read this access log
enrol-second-factor = Second-factor code (if you have one)
enrol-second-factor-hint = Only if your account already has a second factor: the 6-digit code of your authenticator app (a new password never skips it).
enrol-error-second-factor = This account has a second factor: type the 6-digit code of your authenticator app (or a recovery code).
## Issue 17 — no existence oracle (possible duplicates, lookups per minute)
lookups-too-many = You searched or checked for duplicates too many times in one minute. Please wait { $seconds } seconds and try again.
page-duplicates = Possible duplicate cases
duplicates-heading = Possible duplicate cases
duplicates-intro = New cases recorded by someone who could not see an older case of the same person. Look at both cases, then link them or dismiss the item.
duplicates-none = No possible duplicates are waiting.
duplicates-new-case = New case
duplicates-existing-case = Existing case
duplicates-why = Matching on
duplicates-found = Found at
duplicates-link = Link the two cases
duplicates-dismiss = Not the same person, dismiss
duplicates-choose = Choose link or dismiss.
duplicates-done-linked = The two cases are linked.
duplicates-done-dismissed = The item was dismissed.
duplicate-reason-name_birth = name and birth year
duplicate-reason-phone = phone number
duplicate-reason-id_number = ID number
home-duplicates-open = See possible duplicate cases
case-related-heading = Related cases
access-action-case-reconcile-duplicate = Reconciled a possible duplicate
## Issue 17 — smaller findings of the probe (helper B)
field-incident-too-old = This incident date is more than 100 years ago: check it.
field-incident-before-birth = This incident date is before the survivor's birth date: check both.
field-search-too-long = Too long: at most 200 characters.
cases-search-refused = The search was not run: correct the marked field.
