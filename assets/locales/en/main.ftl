## Layout
nav-skip = Skip to content
nav-main = Main navigation
nav-home = Home
nav-admin = Administration
nav-logout = Log out
nav-login = Log in
nav-language = Language
footer-tagline = share what you know, find who knows
pager-label = Pages
pager-prev = Previous
pager-next = Next
pager-position = Page { $page } of { $pages }

## Error pages
error-400-title = Something is wrong with this request
error-400-text = The request could not be handled as it was sent.
error-403-title = Not allowed
error-403-text = You do not have permission to see or do this.
error-404-title = Page not found
error-404-text = This page does not exist, or no longer.
error-429-title = Too many attempts
error-429-text = Wait a minute and try again.
error-500-title = Something went wrong
error-500-text = An error on our side stopped this page. It has been logged; try again later.
error-home = Back to the home page

## Home
page-home-title = Home
home-welcome = Welcome, { $name }
home-intro = Kring is where colleagues share what they know: ask and answer questions, read the stories of ambassadors and leadership, and find the person who knows.

## Login, setup, registration
page-login-title = Log in
field-email = Email address
field-password = Password
login-submit = Log in
login-register = No account yet? Register
page-setup-title = Set up Kring
setup-intro = Create the first administrator. This page is shown once, on a new installation.
field-display-name = Name
field-new-password = New password
hint-password = At least 10 characters. A sentence you remember works well.
field-password-confirm = Repeat the password
setup-submit = Create administrator
page-register-title = Register
register-intro = Registration is open to email addresses at { $domains }.
register-submit = Create account

## Own account
page-account-title = Your account
field-roles = Roles
role-member = Member
role-ambassador = Ambassador
role-editor = Editor
role-social_team = Social team
role-admin = Administrator
leadership = Leadership
page-password-title = Change password
password-intro = After the change you stay logged in here; other browsers are logged out.
field-current-password = Current password
password-submit = Change password
page-tokens-title = Personal access tokens
tokens-intro = Tokens let programs use the Kring API on your behalf: send the header "Authorization: Bearer <token>".
tokens-created = Token "{ $name }" created.
tokens-copy-now = Copy it now: it will not be shown again.
field-token-name = Token name
tokens-create = Create token
tokens-list = Your tokens
tokens-prefix = Starts with
tokens-created-at = Created
tokens-last-used = Last used
tokens-actions = Actions
tokens-revoked = Revoked
tokens-revoke = Revoke
tokens-none = You have no tokens.

## Administration
page-admin-users-title = Users
page-admin-settings-title = Settings
page-admin-audit-title = Audit log
admin-new-user = New user
admin-search = Name or email
field-role = Role
admin-any = Any
field-status = Status
status-active = Active
status-deactivated = Deactivated
admin-filter = Filter
admin-user-count = { $count ->
    [one] One user
   *[other] { $count } users
}
admin-roles-hint = Every user is a member; tick the roles they have on top of that.
field-initial-password = Initial password
admin-create-user = Create user
admin-created = Created
admin-last-login = Last login
admin-roles-title = Roles
admin-save-roles = Save roles
admin-access-title = Access
admin-deactivate-explain = A deactivated user cannot log in and their tokens stop working. Their posts and answers stay, under their name.
admin-deactivate = Deactivate
admin-activate = Activate again
admin-history-title = History
audit-when = When
audit-who = Who
audit-what = What
audit-whom = About
audit-details = Details
audit-operator = Command line
audit-directory = Company directory (SCIM)
audit-company-sign-in = Company sign-in
audit-empty = Nothing recorded yet.
settings-registration-title = Self-registration
settings-registration-intro = When open, people with an email address at one of these domains can create their own account.
settings-registration-enabled = Open self-registration
settings-registration-domains = Allowed email domains
settings-registration-domains-hint = One per line, e.g. example.com
settings-save = Save

## Flash messages
flash-logged-in = You are logged in.
flash-logged-out = You are logged out.
flash-setup-done = Kring is set up. Welcome!
flash-registered = Your account is ready. Welcome!
flash-password-changed = Your password has been changed.
flash-token-revoked = The token has been revoked.
flash-user-created = The user has been created.
flash-roles-saved = The roles have been saved.
flash-user-deactivated = The user has been deactivated.
flash-user-activated = The user can log in again.
flash-settings-saved = The settings have been saved.

## Errors
err-forbidden = You do not have permission to do this.
err-internal = Something went wrong on our side; it has been logged.
err-invalid-credentials = Invalid email or password.
err-role-unknown = Unknown role "{ $role }"; the roles are member, ambassador, editor, social_team and admin.
err-email-invalid = Enter a valid email address.
err-name-empty = Enter a name.
err-name-too-long = A name has at most 100 characters.
err-password-too-short = A password has at least { $min } characters.
err-password-too-long = A password has at most { $max } characters.
err-password-weak = This password is too easy to guess. Use a few words that belong together only for you, or a short sentence.
err-password-weak-personal = This password is too easy to guess: it contains your name or email address. Use a few words that have nothing to do with you.
err-password-weak-common = This password is too easy to guess: it is one of the most used passwords. Use a few words that belong together only for you.
err-password-weak-keyboard = This password is too easy to guess: it follows the keyboard. Use a few words instead.
err-password-weak-repeats = This password is too easy to guess: it repeats characters or words. Use a few different words.
err-password-weak-sequence = This password is too easy to guess: it is a sequence like abc or 123. Use a few words instead.
err-password-weak-dates = This password is too easy to guess: dates and years are tried early. Add a few words.
err-password-weak-words = This password is too easy to guess: a single word or name is tried early. Add another word or two.
err-password-mismatch = The two passwords differ.
err-token-name = Give the token a name of 1 to 100 characters.
err-email-taken = A user with this email address already exists.
err-registration-domain = Registration is open to addresses at { $domains } only.
err-current-password = The current password is not correct.
err-password-unchanged = Choose a password different from the current one.
err-too-many-tokens = You have { $max } active tokens; revoke one first.
err-deactivate-self = You cannot deactivate your own account.
err-last-admin = Kring needs at least one active administrator.
err-domain-invalid = "{ $domain }" is not a valid domain.
err-registration-no-domains = Add at least one email domain to open registration.
err-invalid-body = Invalid request body: { $detail }

## Blog: navigation and lists
nav-blog = Blog
nav-write = Write
nav-my-posts = My posts
nav-review = Review
page-blog-title = Blog
page-leadership-title = From leadership
page-author-posts-title = Posts by { $name }
page-deleted-posts-title = Deleted posts
home-announcements = Announcements
home-mark-read = Mark as read
home-recent = Latest posts
blog-empty = No posts yet.
blog-mine-empty = You have not written a post yet.
blog-more = Older posts
blog-feed = Atom feed
blog-updated = Last change
post-announcement = Announcement
post-reading-time = { $minutes ->
    [one] 1 minute read
   *[other] { $minutes } minutes read
}
post-likes = { $count ->
    [one] 1 like
   *[other] { $count } likes
}
post-comments = { $count ->
    [one] 1 comment
   *[other] { $count } comments
}
post-more-by = More by { $name }
post-like = Like
post-unlike = Unlike
post-edit = Edit
post-view = View the post
post-revisions = Earlier versions
post-history = History
post-archive = Archive
post-archive-explain = An archived post leaves the lists; its link keeps working.
post-delete = Delete post
post-delete-explain = A deleted post disappears for everyone; an administrator can bring it back.
post-restore = Restore
post-unpublish = Unpublish
post-unpublish-reason = Reason (shown to the author)
revision-before-edit-by = before an edit by { $name }
revisions-none = No earlier versions.
status-post-draft = Draft
status-post-in_review = In review
status-post-changes_requested = Changes requested
status-post-scheduled = Scheduled
status-post-published = Published
status-post-archived = Archived
decision-submitted = submitted for review
decision-approved = approved
decision-changes_requested = sent back
decision-scheduled = scheduled
decision-published = published
decision-unpublished = unpublished
decision-archived = archived
decision-deleted = deleted
decision-restored = restored
language-en = English
language-nl = Nederlands

## Blog: review
review-intro = Posts waiting for an editor, oldest first. Open one to approve it or send it back with a comment.
review-empty = Nothing waits for review.
review-panel-title = Review
review-approve = Approve and publish
review-comment = What should change?
review-send-back = Send back to the author
settings-review-title = Editorial review
settings-review-legend = Which posts need an editor's approval before they go out?
review-mode-never = None: everyone publishes directly
review-mode-non_ambassadors = Posts by anyone who is not an ambassador
review-mode-everyone = Every post

## Blog: editor
editor-new-title = New post
editor-edit-title = Edit post
editor-preview = Preview
editor-save-draft = Save draft
editor-save-changes = Save changes
editor-publish = Publish
editor-submit-review = Submit for review
editor-saving = Saving…
editor-saved = Draft saved at { "{" }time{ "}" }
editor-save-failed = Not saved.
editor-changes-requested = An editor asked for changes:
editor-cover = Cover image
editor-cover-current = The current cover image
editor-cover-file = Image file
editor-cover-upload = Upload
editor-cover-remove = Remove the cover image
editor-more = More
field-title = Title
field-body = Text (Markdown)
field-tags = Tags
field-language = Language
field-excerpt = Summary (optional)
field-announcement-until = Announcement pinned until
field-schedule = Publish later (optional)
field-comment = Comment
hint-markdown = Markdown: **bold**, *italic*, [link](https://…), lists with -, headings with #.
hint-tags = Up to 5, separated by commas, e.g. thuiswerken, vpn
hint-excerpt = Shown in lists; made from the text when left empty.
hint-announcement-until = Your posts are announcements for everyone; by default they stay pinned for 14 days.
hint-schedule = Your local time. Leave empty to publish now.
hint-cover = PNG, JPEG or WebP, at most 5 MB.

## Blog: comments
comment-add = Add a comment
comment-submit = Post comment
comment-reply = Reply
comment-reply-to = Reply to { $name }
comment-edit = Edit
comment-edit-title = Edit comment
comment-save = Save
comment-delete = Delete
comment-deleted = This comment was deleted.
comment-edited = edited

## Blog: messages
flash-draft-saved = Draft saved.
flash-post-published = Your post is published.
flash-post-scheduled = Your post is scheduled.
flash-post-submitted = Your post is submitted for review.
flash-post-approved = The post is approved.
flash-post-sent-back = The post is sent back to its author.
flash-post-unpublished = The post is back to draft.
flash-post-archived = The post is archived.
flash-post-deleted = The post is deleted.
flash-post-restored = The post is restored.
flash-cover-saved = The cover image is saved.
flash-comment-deleted = The comment is deleted.
err-title-empty = Enter a title.
err-title-too-long = A title has at most { $max } characters.
err-body-empty = Write some text before publishing.
err-body-too-long = The text has at most { $max } characters.
err-markdown-nested = This text is nested too deeply: at most { $max } levels of quotes, lists, emphasis or HTML tags.
err-markdown-elements = This text has too many elements (more than { $max } pieces of formatting).
err-excerpt-too-long = A summary has at most { $max } characters.
err-tag-too-long = A tag has at most { $max } characters.
err-too-many-tags = At most { $max } tags.
err-date-invalid = Enter a valid date and time.
err-post-changed = Someone changed this post meanwhile; reload and try again.
err-post-not-draft = Only a draft (or a post sent back) can be published.
err-post-not-in-review = This post is not waiting for review (any more).
err-post-not-published = This post is not published.
err-post-not-deleted = This post is not deleted.
err-publish-not-author = Only the author publishes a post.
err-review-own-post = Another editor reviews your own post.
err-review-comment-required = Tell the author what to change.
err-like-own-post = You cannot like your own post.
err-comment-empty = Write a comment first.
err-comment-too-long = A comment has at most { $max } characters.
err-comment-parent = The comment you reply to does not exist (any more).
err-upload-empty = Choose a file.
err-upload-too-large = The file is larger than { $max } MB.
err-upload-too-many-pixels = The image is { $width } × { $height } pixels; at most { $max } megapixels (and 8000 pixels a side) are accepted.
err-upload-not-image = The file is not an image (or it is damaged).
err-upload-format = The image is { $format }; use PNG, JPEG or WebP.
err-upload-extension = The file is a { $format } image but its name ends in { $extension }.
err-accept-not-asker = Only the person who asked (or a moderator) accepts an answer.
err-accept-busy = Someone else changed the accepted answer at the same moment; reload and try again.
err-answer-body-empty = Write your answer first.
err-duplicate-missing = Choose the question this one duplicates.
err-duplicate-self = A question cannot duplicate itself.
err-duplicate-unknown = The question this one would duplicate does not exist.
err-invite-self = Invite a colleague other than yourself or the asker.
err-question-already-closed = This question is already closed.
err-question-body-empty = Describe your question.
err-question-closed = This question is closed and takes no new answers.
err-question-has-answers = A question with answers can only be deleted by a moderator.
err-question-not-closed = This question is not closed.
err-question-tags-missing = Add at least one tag.
err-question-title-short = A question's title has at least { $min } characters.
err-synonym-is-tag = That name is already a tag, so it cannot become a synonym.
err-synonym-taken = That name is already a synonym.
err-tag-creation-points = The tag "{ $tag }" does not exist yet; you need { $points } points to create tags. Pick an existing tag or ask the social team.
err-tag-empty = Enter a tag.
err-user-unknown = That colleague does not exist or is deactivated.
err-vote-busy = Too many votes at once; try again.
err-vote-own = You cannot vote on your own question or answer.
err-vote-value = A vote is 1 (up) or -1 (down).
nav-questions = Questions
err-close-reason = Choose why the question is closed.
flash-question-asked = Your question is posted.
flash-question-saved = The question is saved.
flash-question-closed = The question is closed.
flash-question-reopened = The question is open again.
flash-question-deleted = The question is deleted.
flash-answer-posted = Your answer is posted.
flash-answer-saved = The answer is saved.
flash-answer-accepted = The answer is accepted.
flash-answer-deleted = The answer is deleted.
flash-comment-invalid = A comment needs text (at most 2000 characters).
flash-invited = Your colleague is invited to answer.
flash-invite-failed = Nobody active has that email address (and you cannot invite yourself or the asker).
flash-expert-added = The expert is added.
flash-expert-failed = Nobody active has that email address.
flash-synonym-added = The synonym is added.
flash-synonym-failed = That synonym cannot be added: it is empty, already a tag or already a synonym.
qa-title = Questions
qa-ask = Ask a question
qa-edit-question = Edit question
qa-edit-answer = Edit answer
qa-field-title = Title
qa-title-hint = Ask it as you would ask a colleague, e.g. "How do I connect to the VPN from home?"
qa-field-body = Details
qa-field-tags = Tags
qa-tags-hint = One to five, separated by commas or spaces.
qa-field-answer = Your answer
qa-similar-title = Maybe already answered
qa-similar-none = No similar questions yet.
qa-post-question = Post question
qa-save = Save
qa-cancel = Cancel
qa-votes-short = { $count ->
    [one] vote
   *[other] votes
}
qa-answers-short = { $count ->
    [one] answer
   *[other] answers
}
qa-score = Score { $score }
qa-answer-count = { $count ->
    [one] 1 answer
   *[other] { $count } answers
}
qa-has-accepted = has an accepted answer
qa-empty = No questions here yet.
qa-more = More questions
qa-views = Which questions
qa-view-all = All
qa-view-mine = My questions
qa-view-following = Tags I follow
qa-view-for-me = For me
qa-sort = Order
qa-sort-newest = Newest
qa-sort-active = Active
qa-sort-unanswered = Unanswered
qa-tag-count = { $count ->
    [one] 1 question
   *[other] { $count } questions
}
qa-tag-synonyms = Also known as
qa-tag-follow = Follow tag
qa-tag-unfollow = Unfollow tag
qa-tag-experts = Experts
qa-tag-no-experts = No experts for this tag yet.
qa-tag-manage = Manage experts and synonyms
qa-expert-email = Colleague's email address
qa-expert-add = Add expert
qa-expert-remove = Remove
qa-synonym-name = Synonym
qa-synonym-add = Add synonym
qa-closed-duplicate = Closed as duplicate
qa-closed-off_topic = Closed as off-topic
qa-close = Close question
qa-close-reason = Why close it?
qa-close-reason-duplicate = It duplicates another question
qa-close-reason-off_topic = It is off-topic
qa-duplicate-of-field = The original question (number or link)
qa-duplicate-of = This question has an answer here:
qa-duplicates = Asked before as
qa-reopen = Reopen
qa-delete-question = Delete question
qa-delete-answer = Delete answer
qa-edited = edited
qa-votes-question = Votes on the question
qa-votes-answer = Votes on the answer
qa-vote-up = Useful (vote up)
qa-vote-down = Not useful (vote down)
qa-accept = Accept
qa-unaccept = Undo accept
qa-accepted = Accepted answer
qa-answer-by = Answer by { $name }
qa-outdated-banner = This answer is marked as outdated and may no longer be right.
qa-mark-outdated = Mark outdated
qa-mark-current = Mark up to date
qa-add-comment = Add a comment
qa-comment-label = Comment
qa-your-answer = Answer this question
qa-post-answer = Post answer
qa-invite = Invite a colleague to answer
qa-invite-email = Colleague's email address
qa-invite-submit = Invite
qa-back-to-question = Back to the question
nav-people = People
nav-feed = Following
activity-post = Post
activity-question = Question
activity-answer = Answer
activity-none = Nothing yet.
ambassadors-title = Ambassadors
ambassadors-no-department = No department
ambassadors-none = There are no ambassadors yet.
departments-title = Departments
departments-name = Name of the department
departments-new = New department
departments-add = Add department
departments-rename = Rename
departments-delete = Delete
departments-none = No departments yet.
err-department-empty = Enter a name for the department.
err-department-taken = A department with that name exists already.
err-department-unknown = That department does not exist.
err-field-too-long = At most { $max } characters.
err-follow-self = You cannot follow yourself.
err-language-code = "{ $code }" is not a two-letter language code such as nl or en.
err-link-invalid = "{ $link }" is not an http or https link.
err-too-many = At most { $max }.
evidence-accepted_answers = { $count ->
    [one] 1 accepted answer in { $tag }
   *[other] { $count } accepted answers in { $tag }
}
evidence-upvoted_answers = { $count ->
    [one] 1 up-voted answer in { $tag }
   *[other] { $count } up-voted answers in { $tag }
}
evidence-posts = { $count ->
    [one] 1 post about { $tag }
   *[other] { $count } posts about { $tag }
}
evidence-declared = Says: ask me about { $tag }
evidence-marked_expert = Expert for { $tag } (chosen by the social team)
experts-title = Who knows about…?
experts-topic = Topic
experts-find = Find experts
experts-none = Nobody has shown knowledge of this topic yet.
feed-title = Following
feed-intro = New posts, questions and answers from the people and tags you follow.
flash-ambassador-saved = The ambassador list is updated.
flash-department-saved = The department is saved.
flash-department-deleted = The department is deleted.
flash-photo-saved = Your photo is saved.
flash-profile-saved = The profile is saved.
people-title = People
people-filter = Filter people
people-name = Name
people-department = Department
people-location = Location
people-expertise = Ask me about
people-ambassadors-only = Only ambassadors
people-any = Any
people-none = None
people-search = Search
people-count = { $count ->
    [one] 1 colleague
   *[other] { $count } colleagues
}
profile-edit = Edit profile
profile-details = Details
profile-photo = Photo
profile-photo-file = Photo file
profile-photo-hint = PNG, JPEG or WebP, at most 5 MB; it is cropped to a square.
profile-photo-upload = Upload photo
profile-photo-remove = Remove photo
profile-photo-of = Photo of { $name }
profile-job-title = Job title
profile-languages = Languages
profile-languages-hint = Two-letter codes, e.g. nl, en.
profile-ask-me-about = Ask me about
profile-bio = About me
profile-links = Links
profile-links-hint = One http or https link per line, at most five.
profile-save = Save profile
profile-follow = Follow
profile-unfollow = Unfollow
profile-followers = { $count ->
    [one] 1 follower
   *[other] { $count } followers
}
profile-following = { $count } following
profile-mark-ambassador = Mark as ambassador
profile-unmark-ambassador = Remove ambassador mark
profile-deactivated = Deactivated
profile-posts = Posts
profile-questions = Questions
profile-answers = Answers
profile-accepted = Accepted answers
profile-recent = Recent activity
search-title = Search
search-label = Search Kring
search-placeholder = Search posts, questions, people…
search-words = Words
search-type = Kind
search-type-post = Post
search-type-question = Question
search-type-answer = Answer
search-type-person = Person
search-sort = Order
search-sort-relevance = Best match
search-sort-date = Newest first
search-facets = Refine
search-type-any = All kinds
search-tag-any = All tags
search-suggestions = Suggestions
search-degraded = The search index is being repaired. Until it is back these results come from a simple text match, which may miss other word forms and typos.
search-near-misses = Results with most of your words
search-count = { $count ->
    [one] 1 result
   *[other] { $count } results
}
search-count-about = About { $count } results

nav-notifications = Notifications
nav-unread = unread
notifications-title = Notifications
notifications-settings = Notification settings
notifications-read-all = Mark all as read
notifications-new = new
notifications-none = Nothing new for you yet.
notifications-weekly-digest = Send me the weekly digest (top posts, unanswered questions in my tags)
notifications-save = Save settings
flash-notifications-read = All notifications are marked as read.
flash-preferences-saved = Your notification settings are saved.
notify-answer = { $actor } answered your question “{ $title }”
notify-comment = { $actor } commented on “{ $title }”
notify-accepted = { $actor } accepted your answer to “{ $title }”
notify-mention = { $actor } mentioned you in “{ $title }”
notify-question = New question in one of your tags: “{ $title }”
notify-invited = { $actor } asks you to answer “{ $title }”
notify-post_approved = Your post “{ $title }” is approved
notify-post_returned = Your post “{ $title }” was sent back for changes
notify-post_submitted = { $actor } asks you to review “{ $title }”
notify-post_resubmitted = { $actor } changed “{ $title }” and asks you to review it again
nav-review-waiting = waiting for review
notify-badge = You earned a badge: { $title }
notify-award = You are the Social Guru: { $title }
notify-nomination = { $actor } nominated someone for Social Guru: { $title }
notif-category-replies = Answers, comments and accepted answers
notif-category-mentions = Mentions of you
notif-category-questions = New questions in your tags and invitations to answer
notif-category-reviews = Reviews of your posts
notif-category-rewards = Badges and awards
notif-category-nominations = Social Guru nominations
notif-category-digest = The weekly digest
notif-delivery-in_app = Only in Kring
notif-delivery-immediate = Email me right away
notif-delivery-daily = In a daily digest email
notif-delivery-weekly = In the weekly digest email
unsubscribe-title = Unsubscribe
unsubscribe-ask = Stop emails about: { $category }? You will still see them in Kring.
unsubscribe-confirm = Unsubscribe
unsubscribe-done = Done: no more emails about { $category }. You can change this in your notification settings.
email-hello = Hello { $name },
email-open = Open in Kring
email-why = You get this email because of your notification settings in Kring.
email-unsubscribe = Unsubscribe from these emails
email-digest_daily-subject = Your daily Kring digest ({ $period })
email-digest_weekly-subject = Your week in Kring ({ $period })
digest-top-posts = Top posts of the week
digest-unanswered = Unanswered questions in your tags
digest-notifications = For you
digest-nothing = Nothing this time.
err-mail-not-failed = Only a failed email can be sent again.
# Password reset by email and invitations
login-forgot = Forgot your password?
page-forgot-title = Forgot your password
forgot-intro = Enter the email address of your account. We will send you a link to choose a new password.
forgot-submit = Send me a link
forgot-sent = If an account exists for this address, an email with a link to choose a new password is on its way. The link works once, for one hour.
forgot-sent-hint = No email after a few minutes? Check your spam folder, or ask an administrator.
forgot-back-to-login = Back to logging in
page-reset-title = Choose a new password
reset-intro = Choose a new password for { $email }. Afterwards you are logged out everywhere else.
reset-submit = Save the new password
page-invitation-title = Welcome to Kring
invitation-intro = Welcome, { $name }! Choose a password for your account { $email }.
invitation-submit = Save my password
page-link-expired-title = This link no longer works
reset-expired = This password link has been used already, has expired, or is incomplete. Links work once and for one hour. Ask for a new one.
reset-request-new = Send me a new link
invitation-expired = This invitation has been used already, has expired, or is incomplete. Ask an administrator to send you a new invitation.
page-admin-invitations-title = Invitations
admin-invite-someone = Invite someone
admin-invite-intro = The person gets an email with a link to choose a password; the link works once, for seven days.
admin-invite-language = Language of the email
admin-invite-submit = Send the invitation
admin-invitations-pending = Waiting for a password
admin-invitations-none = Everybody invited has chosen a password.
admin-invitation-valid-until = Link valid until
admin-invitation-expired = Expired
admin-invitation-actions = Actions
admin-invitation-resend = Send a new link
err-reset-link-invalid = This password link has been used already or has expired. Ask for a new one.
err-invitation-invalid = This invitation has been used already or has expired. Ask an administrator for a new one.
err-invitation-accepted = This person has chosen a password already.
err-reset-too-many = Too many requests for a password link. Try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
flash-password-reset = Your new password is saved and you are logged in. Other browsers are logged out.
flash-invitation-accepted = Your password is saved. Welcome to Kring!
flash-invitation-sent = The invitation is sent.
flash-invitation-resent = A new invitation link is sent; the old one no longer works.
email-password_reset-subject = Choose a new Kring password
email-reset-intro = Someone, hopefully you, asked for a new password for the Kring account { $email }. Choose one with this link:
email-reset-button = Choose a new password
email-link-fallback = Or copy this address into your browser:
email-reset-expiry = The link works once and for one hour.
email-reset-ignore = Did you not ask for this? Then ignore this email: your password stays as it is.
email-invitation-subject = { $actor } invites you to Kring
email-invitation-intro = { $actor } has made an account for you in Kring, where colleagues share what they know, ask and answer questions, and find each other.
email-invitation-login = You log in with { $email }.
email-invitation-button = Choose your password
email-invitation-expiry = The link works once and for { $days } days. Did it expire? Ask an administrator for a new one.
email-invitation-site = Kring is at
page-admin-mail-title = Email
mail-status = Status
mail-status-failed = Failed
mail-status-pending = Waiting
mail-status-sent = Sent
mail-to = To
mail-kind = Kind
mail-attempts = Attempts
mail-error = Last error
mail-created = Queued
mail-actions = Actions
mail-retry = Send again
mail-none = No emails here.
mail-no-smtp = No SMTP server is configured (KRING_SMTP_URL): emails stay queued until one is.
flash-mail-retried = The email is queued again.
err-rule-points = Points must be between 0 and { $max }.
err-rule-cap = A daily cap must be between 1 and { $max }.
digest-points = Your points
digest-points-text = { $points ->
    [one] 1 point
   *[other] { $points } points
} in { $month }; { $total } in all.

## Gamification pages
nav-leaderboard = Leaderboard
nav-social-guru = Social Guru
nav-hall-of-fame = Hall of fame
nav-point-rules = Point rules
page-leaderboard-title = Leaderboard
leaderboard-period = Period
leaderboard-all-time = All time
leaderboard-department = Department
leaderboard-everyone = Everyone
leaderboard-show = Show
leaderboard-hidden = Individual leaderboards are switched off in this company. Your own points and badges stay visible to you.
leaderboard-empty = Nobody has points in this period yet.
leaderboard-rank = Rank
leaderboard-person = Person
leaderboard-points = Points
leaderboard-mine = Your points
leaderboard-my-points = { $points ->
    [one] one point
   *[other] { $points } points
}
leaderboard-my-rank = rank { $rank }
leaderboard-rule = Rule
rule-post_published = Blog post published
rule-review_completed = Editorial review completed
rule-question_asked = Question asked
rule-answer_posted = Answer posted
rule-answer_accepted = Answer accepted (to the answerer)
rule-answer_accepted_asker = Answer accepted (to the asker)
rule-answer_upvoted = Up-vote received on an answer
rule-post_liked = Like received on a post
rule-comment_posted = Comment posted
page-rules-title = Point rules
rules-intro = Changes apply from now on and are recorded in the audit log. A daily cap limits the points one person gets from that rule and the other capped rules together in one day.
rules-cap-per-day = at most { $cap } a day
rules-member-hint = Points count for the monthly leaderboard and the Social Guru. You earn none for acting on your own content.
points-how = How points are earned
rules-points = Points
rules-cap = Daily cap
rules-enabled = On
rules-save = Save rules
rules-recompute-title = Recompute from a date
rules-recompute-intro = Re-values every award made on or after this date at today's rules. This is recorded in the audit log.
rules-recompute-from = From
rules-recompute = Recompute
flash-rules-saved = The point rules are saved.
flash-points-recomputed = The points are recomputed.
err-recompute-date = Give a date as YYYY-MM-DD.
page-guru-title = Social Guru of the month
guru-month = Month
guru-awarded-to = { $name } is the Social Guru of { $month }.
guru-month-open = This month has not closed yet: you can nominate now and award once it has.
guru-suggestions = Suggested candidates
guru-no-suggestions = Nobody earned points in this month.
guru-reason-leaderboard = Top of the month's leaderboard
guru-reason-top_answer = The month's most up-voted answer
guru-reason-top_post = The month's most liked post
guru-reason = Reason
guru-nominate-person = Nominate { $name }
guru-nominate-other = Nominate someone else
guru-nominee-email = Email address of the person
guru-nominate = Nominate
guru-nominations = Nominations
guru-no-nominations = No nominations for this month yet.
guru-nominated-by = nominated by { $name }
guru-award = Award the Social Guru to { $name }
guru-revoke = Revoke
guru-revoke-reason = Why is this award revoked?
guru-revoke-confirm = Revoke { $name }'s award for { $month }
flash-nominated = The nomination is recorded.
flash-guru-awarded = The Social Guru is awarded.
flash-guru-revoked = The award is revoked.
err-guru-social-team = Only the social team can do this.
err-guru-month = Give a month as YYYY-MM.
err-guru-future = That month has not begun yet.
err-guru-open-month = A month can be awarded once it has closed.
err-guru-reason = Give a reason of at most { $max } characters.
err-guru-nominee = There is no active person with that address.
err-guru-nominated-already = You have nominated this person for this month already.
err-guru-awarded-already = This month has a Social Guru already.
err-guru-revoked-already = This award is revoked already.
page-hall-of-fame-title = Hall of fame
hall-empty = No Social Guru has been awarded yet.
hall-badges = Badges
hall-holders = { $count ->
    [one] one person
   *[other] { $count } people
}
home-guru = Social Guru of { $month }
profile-points-month = Points this month
profile-points-all = Points in all
profile-badges = Badges
settings-leaderboard-title = Leaderboards
settings-leaderboard-hide = Hide individual leaderboards (badges and everyone's own points stay visible)
settings-leaderboard-exclude = Leave people with these roles out of leaderboards
notify-guru_open = Nominations are open for the Social Guru of { $title }
badge-social-guru = Social Guru { $month }
badge-first_post = First post
badge-first_post-desc = Published a first blog post.
badge-first_question = Curious
badge-first_question-desc = Asked a first question.
badge-first_accepted = Helper
badge-first_accepted-desc = A first answer accepted on someone else's question.
badge-accepted_10 = Problem solver
badge-accepted_10-desc = Ten answers accepted.
badge-accepted_50 = Oracle
badge-accepted_50-desc = Fifty answers accepted.
badge-good_answer = Good answer
badge-good_answer-desc = An answer with five or more up-votes.
badge-prolific_month = Prolific writer
badge-prolific_month-desc = Five posts published in one month.
badge-helpful_commenter = Helpful commenter
badge-helpful_commenter-desc = Ten comments on other people's questions and answers.
# Webhooks
page-admin-webhooks-title = Webhooks
webhooks-intro = A webhook sends new posts, questions or answers to another tool, such as your team chat, as a signed JSON request. Only what every colleague may see is sent.
webhooks-event = Event
webhooks-url = URL
webhooks-url-hint = The address that receives the POST requests (https:// or http://).
webhooks-status = Status
webhooks-secret = Secret
webhooks-actions = Actions
webhooks-active = Active
webhooks-inactive = Off
webhooks-activate = Switch on
webhooks-deactivate = Switch off
webhooks-delete = Delete
webhooks-none = No webhooks yet.
webhooks-new = New webhook
webhooks-add = Add webhook
webhooks-signature-hint = Each request carries X-Kring-Signature: sha256=HMAC-SHA256(secret, "timestamp.body") with the timestamp from X-Kring-Timestamp; X-Kring-Delivery stays the same when a delivery is retried.
webhooks-deliveries = Recent deliveries
webhooks-delivery = Delivery
webhooks-attempts = Attempts
webhooks-last-error = Last error
webhooks-created = Created
webhooks-retry = Send again
webhooks-no-deliveries = Nothing sent yet.
webhook-event-post_published = Post published
webhook-event-question_asked = Question asked
webhook-event-answer_posted = Answer posted
webhook-delivery-pending = Pending
webhook-delivery-delivered = Delivered
webhook-delivery-failed = Failed
err-webhook-url = Enter a full http:// or https:// address.
err-webhook-event = Choose one of the events: post_published, question_asked or answer_posted.
err-webhook-delivery-not-failed = Only a failed delivery can be sent again.
flash-webhook-created = Webhook added.
flash-webhook-activated = Webhook switched on.
flash-webhook-deactivated = Webhook switched off.
flash-webhook-deleted = Webhook deleted.
flash-webhook-retried = The delivery is queued again.

## KPI dashboard
nav-kpis = KPIs
page-kpi-title = Community KPIs
kpi-period = Period
kpi-last-weeks = Last { $weeks } weeks
kpi-period-span = From { $from } to { $to } (weeks start on Monday, UTC).
kpi-answer-rate = Answer rate
kpi-median-first = Median time to a first answer
kpi-median-accepted = Median time to the accepted answer
kpi-hours = { $hours } h
kpi-cross = Answers across departments
kpi-download-csv = Download CSV
kpi-show-table = Show the figures as a table
kpi-week = Week
kpi-contributors = Contributors
kpi-readers = Readers
kpi-posts = Posts
kpi-questions = Questions
kpi-answers = Answers
kpi-comments = Comments
kpi-people = People
kpi-participation = Participation this month
kpi-tag = Tag
kpi-previous = Period before
kpi-quarter = Quarter
kpi-level = Step
kpi-readiness-score = Score
kpi-no-departments = No departments yet.
kpi-none-unanswered = Every open question has an answer.
kpi-no-readiness = No readiness assessment yet.
kpi-readiness-fill = Fill in this quarter's readiness assessment
kpi-chart-people = Contributors and readers per week
kpi-chart-content = Posts, questions, answers and comments per week
kpi-chart-participation = Share of people who contributed this month, per department
kpi-chart-points = Points awarded per rule
kpi-chart-readiness = Social readiness per quarter (1 to 5)
kpi-table-weekly = Activity per week
kpi-table-answers = Answers
kpi-table-cross_department = Answers across departments
kpi-table-departments = Participation per department
kpi-everywhere = Everywhere
kpi-table-spaces = Spaces
kpi-spaces-note = Activity in each space in the period. Company-wide figures above include every space, closed and secret ones too.
kpi-table-unanswered_by_tag = Unanswered questions by tag
kpi-table-top_contributors = Top contributors
kpi-table-rising_contributors = Rising contributors
kpi-table-ambassadors = Ambassador activity
kpi-table-points_by_rule = Points per rule
kpi-table-readiness = Social readiness
page-readiness-title = Social readiness assessment
readiness-intro = How far along is the company? Rate each statement for { $quarter }, from 1 (not at all) to 5 (fully). Filling it in again replaces this quarter's answers.
readiness-note = Note
readiness-save = Save the assessment
flash-readiness-saved = The readiness assessment is saved.
err-readiness-quarter = Give a quarter as YYYY-Qn, this quarter or an earlier one.
err-readiness-answers = Rate all { $count } statements from 1 to 5.
err-readiness-note = A note has at most { $max } characters.
readiness-score-1 = 1 not at all
readiness-score-2 = 2
readiness-score-3 = 3
readiness-score-4 = 4
readiness-score-5 = 5 fully
readiness-level-1 = Social Junior
readiness-level-2 = Social Medior
readiness-level-3 = Social Senior
readiness-level-4 = Social Expert
readiness-level-5 = Social Guru
readiness-q-1 = Leadership shares knowledge openly and visibly.
readiness-q-2 = Sharing knowledge is part of the company's strategy and goals.
readiness-q-3 = Employees ask colleagues outside their department for help.
readiness-q-4 = Questions get a good answer quickly.
readiness-q-5 = Ambassadors in every department blog and help others.
readiness-q-6 = Contributions are recognised and rewarded.
readiness-q-7 = People can find the colleague who knows.
readiness-q-8 = The community's health is measured and discussed.
readiness-q-9 = New colleagues learn to work openly from day one.
readiness-q-10 = Knowledge flows across countries and languages.

# Self-registration with a proven mailbox
register-sent-title = Check your email
register-sent = If this address may have an account, an email is on its way to it: open the link in it to activate your account (it works once, for two days). Already have an account? Then the email tells you how to log in.
page-verify-title = Activate your account
verify-intro = Activate the Kring account for { $email }.
verify-submit = Activate my account
verify-expired = This activation link has been used already, has expired, or is incomplete. Links work once and for two days. Register again to get a new one.
verify-register-again = Register again
err-verify-link-invalid = This activation link has been used already, has expired, or is incomplete.
email-verify_email-subject = Activate your Kring account
email-verify-intro = Someone, hopefully you, registered the Kring account { $email }. Activate it with this link:
email-verify-button = Activate my account
email-verify-expiry = The link works once and for two days.
email-verify-ignore = Did you not register? Then ignore this email: without the link no account is made.
email-account_exists-subject = Someone tried to register with your address
email-account-exists-intro = Someone, perhaps you, tried to register a new Kring account with { $email }. You already have an account with this address, so nothing was created.
email-account-exists-login = Log in
email-account-exists-reset = Forgot your password?
email-account-exists-ignore = Was it not you? Then you need not do anything; your account is unchanged.

# Webhooks and internal networks
err-webhook-credentials = A webhook URL may not contain a user name or password; put a token in the path or use the signature to check the sender.
err-webhook-internal = { $address } is an internal address; webhooks go to the internet unless an administrator allows that range below.
err-webhook-network = { $network } is not a network range (e.g. 10.20.0.0/16) or an address.
err-webhook-networks-too-many = At most { $max } ranges.
webhooks-networks = Internal networks webhooks may reach
webhooks-networks-label = Ranges, one per line
webhooks-networks-hint = One range per line, e.g. 10.20.0.0/16 for an intranet receiver. Webhooks never reach loopback, private or link-local addresses outside these ranges.
webhooks-networks-save = Save ranges
flash-webhook-networks = The allowed ranges are saved.

# Company defaults
settings-company-title = Company defaults
settings-company-intro = The language and time zone of everyone who has not chosen their own.
settings-company-language = Language
settings-company-time-zone = Time zone
err-time-zone = { $zone } is not a time zone; use a name like Europe/Amsterdam.

# Proposed tags
page-proposed-tags-title = Proposed tags
proposed-tags-intro = Colleagues without the points to create tags proposed these on their questions. Approve a tag, merge it into an existing one (it then becomes a synonym of it), or reject it for a replacement.
proposed-tags-questions = { $count ->
    [one] 1 question
   *[other] { $count } questions
}
proposed-tags-approve = Approve
proposed-tags-merge-into = Merge into tag
proposed-tags-merge = Merge
proposed-tags-replacement = Replace by tag
proposed-tags-reject = Reject
proposed-tags-none = No tags wait for a decision.
flash-tag-approved = The tag is approved.
flash-tag-merged = The tag is merged; its name now leads to the other tag.
flash-tag-rejected = The tag is rejected; its questions have the replacement.
err-tag-replacement-required = Name the existing tag the questions get instead.
err-tag-unknown = There is no tag “{ $tag }”.
nav-proposed-tags = Proposed tags
tags-suggestions = Matching tags

# Times
time-just-now = just now
time-minutes-ago = { $count ->
    [one] 1 minute ago
   *[other] { $count } minutes ago
}
time-hours-ago = { $count ->
    [one] 1 hour ago
   *[other] { $count } hours ago
}
time-yesterday = yesterday
time-days-ago = { $count ->
    [one] 1 day ago
   *[other] { $count } days ago
}
account-dates = Dates and times
account-time-zone = Time zone
account-time-zone-hint = Dates and times show in this zone. Empty: the company’s ({ $zone }).
flash-time-zone-saved = Your time zone is saved.

## Company sign-in (OpenID Connect)
sso-login = Log in with { $name }
sso-or-password = or with your password
sso-break-glass-login = Administrator sign-in with a password
sso-logged-out = You have logged out of Kring.
sso-logout-provider = Also log out at { $name }
sso-error-title = Sign-in did not work
sso-error-back = Back to the login page
sso-error-not-configured = Company sign-in is not set up. Log in with your password, or ask an administrator.
sso-error-unreachable = The company's sign-in service did not answer. Try again in a moment.
sso-error-state = This sign-in link is no longer valid (it was used, it expired, or it was started in another browser). Start again from the login page.
sso-error-denied = The company's sign-in service did not let you in.
sso-error-exchange = The company's sign-in service did not accept this sign-in (the code was used or has expired). Start again from the login page.
sso-error-token = The company's sign-in service sent an answer Kring cannot trust, so you were not signed in. If this keeps happening, tell an administrator.
sso-error-no-email = The company's sign-in service did not give your email address, which Kring needs for your account.
sso-error-unverified = An account with this email address already exists, and the company's sign-in service does not confirm the address. Ask an administrator to link your account.
sso-error-deactivated = Your account has been deactivated.
err-sso-only = Passwords are turned off: log in with your company account.
err-break-glass-admin = This is the break-glass administrator of SSO-only mode: it stays an active administrator while that mode is on.
err-sso-issuer = Enter the provider's issuer URL, starting with https:// (or http:// on a closed network).
err-sso-groups-claim = Enter the name of one claim, without spaces.
err-sso-group = Enter the group's name as the provider sends it.
err-sso-mapping-empty = Choose a role, a department, or both.
err-sso-mapping-member = Everyone is a member already; choose another role.
err-sso-not-configured = Set up the provider (issuer, client ID and secret) before making it the only way in.
err-sso-unreachable = The provider does not answer its discovery document, so it cannot become the only way in.
err-sso-break-glass = Name the break-glass administrator: the email address of an active administrator who has a password.
sso-admin-title = Company sign-in
sso-admin-intro = Let people log in with the company's identity provider (Microsoft Entra ID, Okta, Google Workspace, Keycloak, ADFS) through OpenID Connect. Their account is made at the first sign-in; name, address, roles and department follow the directory at every sign-in.
sso-admin-redirect = Register this redirect URI at the provider:
sso-provider-title = Provider
sso-display-name = Name on the button ("Log in with …")
sso-issuer = Issuer URL
sso-client-id = Client ID
sso-client-secret = Client secret
sso-secret-kept = A secret is saved. It is never shown again; leave empty to keep it.
sso-secret-none = No secret saved yet.
sso-groups-claim = Claim with the groups
sso-from-env = Fields the environment sets (KRING_OIDC_*) cannot be changed here.
sso-groups-title = Groups to roles and departments
sso-groups-intro = At every sign-in, a person gets the roles and the department their groups map to. Roles that no mapping names stay as administrators set them.
sso-group = Group
sso-role = Role
sso-department = Department
sso-none = (none)
sso-groups-none = No mappings yet.
sso-mapping-add = Add mapping
sso-mapping-remove = Remove
sso-mode-title = SSO-only mode
sso-mode-intro = With SSO-only on, passwords stop working: the login form, registration and password reset are refused, except for one break-glass administrator who can get in when the provider is down.
sso-only = Company sign-in is the only way in
sso-break-glass = Break-glass administrator (email)
sso-break-glass-hint = An active administrator with a password; this account always keeps its password and its admin role.
scim-admin-title = Provisioning
scim-admin-intro = Your company directory (Microsoft Entra ID, Okta, Google) can create, update and deactivate people and groups in Kring over SCIM. Give it the address below and a token made here. Someone the directory deactivates or removes loses access at once; their posts and answers stay.
scim-admin-url = SCIM address:
scim-admin-counts = { $people ->
    [one] One person
   *[other] { $people } people
} and { $groups ->
    [one] one group
   *[other] { $groups } groups
} come from the directory.
scim-tokens-list = Provisioning tokens
scim-token-new = New provisioning token
scim-tokens-none = No provisioning tokens yet.
err-space-kind = A space is open, closed or secret.
err-space-name = Give the space a name.
err-space-language = The language of a space is nl or en.
err-space-group-unknown = There is no directory group with this id.
err-space-last-moderator = A space needs at least one moderator; name another one first.
err-space-not-member = You can only post in spaces you are a member of.
space-field = Space
space-company-wide = Company-wide (everyone)
nav-spaces = Spaces
spaces-title = Spaces
spaces-intro = Communities with a boundary: a country, a department, a project, a co-creation group. Open spaces anyone joins and reads; closed spaces show who is in them to their members and take requests; secret spaces are seen only by their members.
spaces-none = No spaces yet.
spaces-none-create = Start one below: a team, a country or a project.
space-new = New space
space-name = Name
space-kind = Kind
space-kind-hint = Open: anyone joins and reads. Closed: anyone sees it exists, joining needs approval, content is for members. Secret: only members know it exists.
space-kind-open = Open
space-kind-closed = Closed
space-kind-secret = Secret
space-description = Description
space-language-any = Any language
space-create = Create space
space-members = { $count ->
    [one] one member
   *[other] { $count } members
}
space-you-member = you are a member
space-you-moderator = you moderate it
space-you-requested = your request waits for approval
space-join = Join
space-request = Ask to join
space-leave = Leave
space-withdraw = Withdraw request
space-manage = Members and requests
space-ask = Ask in this space
space-write = Write in this space
space-questions = Questions
space-posts = Posts
space-people = Members
space-no-questions = No questions here yet.
space-no-posts = No posts here yet.
space-closed-notice = What is shared here is for members. Ask to join to read along.
space-role-moderator = moderator
space-role-member = member
space-members-title = Members and requests
space-requests = Asking to join
space-approve = Approve
space-refuse = Refuse
space-person = Colleague
space-role = Role
space-make-moderator = Make moderator
space-make-member = Make member
space-remove = Remove
space-add = Add a colleague
space-add-email = Their email address
space-add-button = Add
err-space-no-such-colleague = No active colleague has this email address.
flash-space-created = The space is ready; you are its moderator.
flash-space-joined = You joined the space.
flash-space-requested = Your request to join was sent to the moderators.
flash-space-left = You left the space.
flash-space-member-added = Added.
flash-space-member-removed = Removed.
err-space-unknown = There is no such space.
webhooks-space-hint = A webhook gets either company-wide content or the content of one space, never both: what is shared in a space stays with whoever the space chose.

# Search synonyms and language data (issue 23)
search-synonyms-title = Search synonyms
search-synonyms-intro = Words that mean the same at our company: jargon, abbreviations, old and new names. Searching for one also finds the others, just below the word itself. A change applies to the next search.
search-synonyms-groups = Groups
search-synonyms-words = Words of this group, separated by commas
search-synonyms-save = Save
search-synonyms-remove = Remove
search-synonyms-none = No groups yet. Add the abbreviations and jargon colleagues search for, such as “wfh, thuiswerken, remote work”.
search-synonyms-new = New group
search-synonyms-hint = Two to twenty words or phrases of at most three words, separated by commas, for example: MT, managementteam, management team
search-synonyms-add = Add group
search-synonyms-from-tags = From tags
search-synonyms-from-tags-intro = A tag and its synonyms mean the same in search too. Edit them on the tag's page.
search-synonyms-no-tags = No tag has synonyms yet.
flash-search-synonyms-saved = The synonyms are saved; the next search uses them.
flash-search-synonyms-removed = The group is removed.
err-synonym-term-empty = “{ $term }” has no letters or digits.
err-synonym-term-long = “{ $term }” is too long: at most 60 characters and three words.
err-synonym-too-few = A group needs at least two different words.
err-synonym-too-many = A group holds at most twenty words.
settings-language-title = Search language data
settings-language-intro = What search uses beyond stemming to understand Dutch and English together. Without a file, search still works, with less understanding.
settings-language-dutch-words = Dutch words (compound splitting)
settings-language-irregular = Irregular Dutch plurals
settings-language-forms = Irregular verbs and plurals (word forms related while searching)
settings-language-nl-en = Dutch words and phrases with an English translation
settings-language-en-nl = English words and phrases with a Dutch translation
settings-language-glossary = Glossary entries (workplace and everyday words)
settings-language-synonyms = Search synonym groups
settings-language-dir = Folder
settings-language-missing = Not loaded:
search-did-you-mean = Did you mean
search-ask-this = Ask this as a question
search-nothing-found = Nothing found for these words.
search-synonyms-manage = Search synonyms: the company’s jargon and abbreviations
