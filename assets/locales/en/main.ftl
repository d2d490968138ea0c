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
err-upload-not-image = The file is not an image (or it is damaged).
err-upload-format = The image is { $format }; use PNG, JPEG or WebP.
err-upload-extension = The file is a { $format } image but its name ends in { $extension }.
err-accept-not-asker = Only the person who asked (or a moderator) accepts an answer.
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
qa-votes-short = votes
qa-answers-short = answers
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
search-count = { $count ->
    [one] 1 result
   *[other] { $count } results
}
