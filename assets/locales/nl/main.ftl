## Layout
nav-skip = Naar de inhoud
nav-main = Hoofdnavigatie
nav-home = Start
nav-admin = Beheer
nav-logout = Uitloggen
nav-login = Inloggen
nav-language = Taal
footer-tagline = deel wat je weet, vind wie het weet
pager-label = Pagina's
pager-prev = Vorige
pager-next = Volgende
pager-position = Pagina { $page } van { $pages }

## Error pages
error-400-title = Er klopt iets niet aan dit verzoek
error-400-text = Het verzoek kon niet worden verwerkt zoals het is verstuurd.
error-403-title = Niet toegestaan
error-403-text = Je hebt geen toestemming om dit te zien of te doen.
error-404-title = Pagina niet gevonden
error-404-text = Deze pagina bestaat niet, of niet meer.
error-429-title = Te veel pogingen
error-429-text = Wacht een minuut en probeer het opnieuw.
error-500-title = Er ging iets mis
error-500-text = Een fout aan onze kant hield deze pagina tegen. Die is vastgelegd; probeer het later opnieuw.
error-home = Terug naar de startpagina

## Home
page-home-title = Start
home-welcome = Welkom, { $name }
home-intro = Kring is de plek waar collega's delen wat ze weten: stel en beantwoord vragen, lees de verhalen van ambassadeurs en de directie, en vind wie het weet.

## Login, setup, registration
page-login-title = Inloggen
field-email = E-mailadres
field-password = Wachtwoord
login-submit = Inloggen
login-register = Nog geen account? Registreer je
page-setup-title = Kring instellen
setup-intro = Maak de eerste beheerder aan. Deze pagina verschijnt één keer, bij een nieuwe installatie.
field-display-name = Naam
field-new-password = Nieuw wachtwoord
hint-password = Minstens 10 tekens. Een zin die je onthoudt werkt goed.
field-password-confirm = Herhaal het wachtwoord
setup-submit = Beheerder aanmaken
page-register-title = Registreren
register-intro = Registreren kan met een e-mailadres bij { $domains }.
register-submit = Account aanmaken

## Own account
page-account-title = Je account
field-roles = Rollen
role-member = Lid
role-ambassador = Ambassadeur
role-editor = Redacteur
role-social_team = Socialteam
role-admin = Beheerder
leadership = Directie
page-password-title = Wachtwoord wijzigen
password-intro = Na de wijziging blijf je hier ingelogd; andere browsers worden uitgelogd.
field-current-password = Huidig wachtwoord
password-submit = Wachtwoord wijzigen
page-tokens-title = Persoonlijke toegangstokens
tokens-intro = Met tokens gebruiken programma's de Kring-API namens jou: stuur de header "Authorization: Bearer <token>".
tokens-created = Token "{ $name }" aangemaakt.
tokens-copy-now = Kopieer hem nu: hij wordt niet nog eens getoond.
field-token-name = Naam van de token
tokens-create = Token aanmaken
tokens-list = Je tokens
tokens-prefix = Begint met
tokens-created-at = Aangemaakt
tokens-last-used = Laatst gebruikt
tokens-actions = Acties
tokens-revoked = Ingetrokken
tokens-revoke = Intrekken
tokens-none = Je hebt geen tokens.

## Administration
page-admin-users-title = Gebruikers
page-admin-settings-title = Instellingen
page-admin-audit-title = Auditlog
admin-new-user = Nieuwe gebruiker
admin-search = Naam of e-mailadres
field-role = Rol
admin-any = Alle
field-status = Status
status-active = Actief
status-deactivated = Gedeactiveerd
admin-filter = Filteren
admin-user-count = { $count ->
    [one] Eén gebruiker
   *[other] { $count } gebruikers
}
admin-roles-hint = Iedere gebruiker is lid; vink de rollen aan die daar bovenop komen.
field-initial-password = Eerste wachtwoord
admin-create-user = Gebruiker aanmaken
admin-created = Aangemaakt
admin-last-login = Laatst ingelogd
admin-roles-title = Rollen
admin-save-roles = Rollen opslaan
admin-access-title = Toegang
admin-deactivate-explain = Een gedeactiveerde gebruiker kan niet inloggen en zijn tokens werken niet meer. Berichten en antwoorden blijven staan, onder zijn naam.
admin-deactivate = Deactiveren
admin-activate = Weer activeren
admin-history-title = Geschiedenis
audit-when = Wanneer
audit-who = Wie
audit-what = Wat
audit-whom = Over
audit-details = Details
audit-operator = Opdrachtregel
audit-empty = Nog niets vastgelegd.
settings-registration-title = Zelf registreren
settings-registration-intro = Als dit open staat, kunnen mensen met een e-mailadres bij een van deze domeinen zelf een account aanmaken.
settings-registration-enabled = Zelf registreren openzetten
settings-registration-domains = Toegestane e-maildomeinen
settings-registration-domains-hint = Eén per regel, bijvoorbeeld voorbeeld.nl
settings-save = Opslaan

## Flash messages
flash-logged-in = Je bent ingelogd.
flash-logged-out = Je bent uitgelogd.
flash-setup-done = Kring is ingesteld. Welkom!
flash-registered = Je account is klaar. Welkom!
flash-password-changed = Je wachtwoord is gewijzigd.
flash-token-revoked = De token is ingetrokken.
flash-user-created = De gebruiker is aangemaakt.
flash-roles-saved = De rollen zijn opgeslagen.
flash-user-deactivated = De gebruiker is gedeactiveerd.
flash-user-activated = De gebruiker kan weer inloggen.
flash-settings-saved = De instellingen zijn opgeslagen.

## Errors
err-forbidden = Je hebt geen toestemming om dit te doen.
err-internal = Er ging aan onze kant iets mis; dat is vastgelegd.
err-invalid-credentials = Onjuist e-mailadres of wachtwoord.
err-role-unknown = Onbekende rol "{ $role }"; de rollen zijn member, ambassador, editor, social_team en admin.
err-email-invalid = Vul een geldig e-mailadres in.
err-name-empty = Vul een naam in.
err-name-too-long = Een naam heeft hoogstens 100 tekens.
err-password-too-short = Een wachtwoord heeft minstens { $min } tekens.
err-password-too-long = Een wachtwoord heeft hoogstens { $max } tekens.
err-password-mismatch = De twee wachtwoorden verschillen.
err-token-name = Geef de token een naam van 1 tot 100 tekens.
err-email-taken = Er bestaat al een gebruiker met dit e-mailadres.
err-registration-domain = Registreren kan alleen met een adres bij { $domains }.
err-current-password = Het huidige wachtwoord klopt niet.
err-password-unchanged = Kies een ander wachtwoord dan het huidige.
err-too-many-tokens = Je hebt { $max } actieve tokens; trek er eerst een in.
err-deactivate-self = Je kunt je eigen account niet deactiveren.
err-last-admin = Kring heeft minstens één actieve beheerder nodig.
err-domain-invalid = "{ $domain }" is geen geldig domein.
err-registration-no-domains = Voeg minstens één e-maildomein toe om registreren open te zetten.
err-invalid-body = Ongeldige inhoud van het verzoek: { $detail }

## Blog: navigation and lists
nav-blog = Blog
nav-write = Schrijven
nav-my-posts = Mijn berichten
nav-review = Redactie
page-blog-title = Blog
page-leadership-title = Van de directie
page-author-posts-title = Berichten van { $name }
page-deleted-posts-title = Verwijderde berichten
home-announcements = Mededelingen
home-mark-read = Markeren als gelezen
home-recent = Nieuwste berichten
blog-empty = Nog geen berichten.
blog-mine-empty = Je hebt nog geen bericht geschreven.
blog-more = Oudere berichten
blog-feed = Atom-feed
blog-updated = Laatst gewijzigd
post-announcement = Mededeling
post-reading-time = { $minutes ->
    [one] 1 minuut lezen
   *[other] { $minutes } minuten lezen
}
post-likes = { $count ->
    [one] 1 like
   *[other] { $count } likes
}
post-comments = { $count ->
    [one] 1 reactie
   *[other] { $count } reacties
}
post-more-by = Meer van { $name }
post-like = Vind ik leuk
post-unlike = Vind ik niet meer leuk
post-edit = Bewerken
post-view = Bekijk het bericht
post-revisions = Eerdere versies
post-history = Geschiedenis
post-archive = Archiveren
post-archive-explain = Een gearchiveerd bericht verdwijnt uit de lijsten; de link blijft werken.
post-delete = Bericht verwijderen
post-delete-explain = Een verwijderd bericht verdwijnt voor iedereen; een beheerder kan het terugzetten.
post-restore = Terugzetten
post-unpublish = Publicatie intrekken
post-unpublish-reason = Reden (de auteur ziet die)
revision-before-edit-by = vóór een wijziging door { $name }
revisions-none = Geen eerdere versies.
status-post-draft = Concept
status-post-in_review = Bij de redactie
status-post-changes_requested = Aanpassingen gevraagd
status-post-scheduled = Ingepland
status-post-published = Gepubliceerd
status-post-archived = Gearchiveerd
decision-submitted = ingediend bij de redactie
decision-approved = goedgekeurd
decision-changes_requested = teruggestuurd
decision-scheduled = ingepland
decision-published = gepubliceerd
decision-unpublished = publicatie ingetrokken
decision-archived = gearchiveerd
decision-deleted = verwijderd
decision-restored = teruggezet
language-en = English
language-nl = Nederlands

## Blog: review
review-intro = Berichten die op de redactie wachten, oudste eerst. Open er een om het goed te keuren of met opmerkingen terug te sturen.
review-empty = Er wacht niets op de redactie.
review-panel-title = Redactie
review-approve = Goedkeuren en publiceren
review-comment = Wat moet er anders?
review-send-back = Terugsturen naar de auteur
settings-review-title = Redactie
settings-review-legend = Welke berichten heeft een redacteur eerst goed te keuren?
review-mode-never = Geen: iedereen publiceert direct
review-mode-non_ambassadors = Berichten van iedereen die geen ambassadeur is
review-mode-everyone = Alle berichten

## Blog: editor
editor-new-title = Nieuw bericht
editor-edit-title = Bericht bewerken
editor-preview = Voorbeeld
editor-save-draft = Concept opslaan
editor-save-changes = Wijzigingen opslaan
editor-publish = Publiceren
editor-submit-review = Indienen bij de redactie
editor-saving = Bezig met opslaan…
editor-saved = Concept opgeslagen om { "{" }time{ "}" }
editor-save-failed = Niet opgeslagen.
editor-changes-requested = Een redacteur vraagt om aanpassingen:
editor-cover = Omslagafbeelding
editor-cover-current = De huidige omslagafbeelding
editor-cover-file = Afbeeldingsbestand
editor-cover-upload = Uploaden
editor-cover-remove = Omslagafbeelding verwijderen
editor-more = Meer
field-title = Titel
field-body = Tekst (Markdown)
field-tags = Tags
field-language = Taal
field-excerpt = Samenvatting (optioneel)
field-announcement-until = Mededeling vastgezet tot
field-schedule = Later publiceren (optioneel)
field-comment = Reactie
hint-markdown = Markdown: **vet**, *cursief*, [link](https://…), lijsten met -, kopjes met #.
hint-tags = Hoogstens 5, gescheiden door komma's, bijvoorbeeld thuiswerken, vpn
hint-excerpt = Staat in de lijsten; leeg gelaten wordt hij uit de tekst gemaakt.
hint-announcement-until = Jouw berichten zijn mededelingen voor iedereen; standaard staan ze 14 dagen vast.
hint-schedule = Jouw plaatselijke tijd. Leeg laten om nu te publiceren.
hint-cover = PNG, JPEG of WebP, hoogstens 5 MB.

## Blog: comments
comment-add = Reageer
comment-submit = Reactie plaatsen
comment-reply = Antwoorden
comment-reply-to = Antwoord aan { $name }
comment-edit = Bewerken
comment-edit-title = Reactie bewerken
comment-save = Opslaan
comment-delete = Verwijderen
comment-deleted = Deze reactie is verwijderd.
comment-edited = bewerkt

## Blog: messages
flash-draft-saved = Concept opgeslagen.
flash-post-published = Je bericht is gepubliceerd.
flash-post-scheduled = Je bericht is ingepland.
flash-post-submitted = Je bericht is ingediend bij de redactie.
flash-post-approved = Het bericht is goedgekeurd.
flash-post-sent-back = Het bericht is teruggestuurd naar de auteur.
flash-post-unpublished = Het bericht is weer een concept.
flash-post-archived = Het bericht is gearchiveerd.
flash-post-deleted = Het bericht is verwijderd.
flash-post-restored = Het bericht is teruggezet.
flash-cover-saved = De omslagafbeelding is opgeslagen.
flash-comment-deleted = De reactie is verwijderd.
err-title-empty = Vul een titel in.
err-title-too-long = Een titel heeft hoogstens { $max } tekens.
err-body-empty = Schrijf eerst wat tekst.
err-body-too-long = De tekst heeft hoogstens { $max } tekens.
err-excerpt-too-long = Een samenvatting heeft hoogstens { $max } tekens.
err-tag-too-long = Een tag heeft hoogstens { $max } tekens.
err-too-many-tags = Hoogstens { $max } tags.
err-date-invalid = Vul een geldige datum en tijd in.
err-post-changed = Iemand anders heeft dit bericht intussen gewijzigd; laad de pagina opnieuw.
err-post-not-draft = Alleen een concept (of een teruggestuurd bericht) kan worden gepubliceerd.
err-post-not-in-review = Dit bericht wacht niet (meer) op de redactie.
err-post-not-published = Dit bericht is niet gepubliceerd.
err-post-not-deleted = Dit bericht is niet verwijderd.
err-publish-not-author = Alleen de auteur publiceert een bericht.
err-review-own-post = Een andere redacteur beoordeelt je eigen bericht.
err-review-comment-required = Vertel de auteur wat er anders moet.
err-like-own-post = Je eigen bericht kun je niet leuk vinden.
err-comment-empty = Schrijf eerst een reactie.
err-comment-too-long = Een reactie heeft hoogstens { $max } tekens.
err-comment-parent = De reactie waarop je antwoordt bestaat niet (meer).
err-upload-empty = Kies een bestand.
err-upload-too-large = Het bestand is groter dan { $max } MB.
err-upload-not-image = Het bestand is geen afbeelding (of het is beschadigd).
err-upload-format = De afbeelding is { $format }; gebruik PNG, JPEG of WebP.
err-upload-extension = Het bestand is een { $format }-afbeelding, maar de naam eindigt op { $extension }.
err-accept-not-asker = Alleen wie de vraag stelde (of een moderator) accepteert een antwoord.
err-answer-body-empty = Schrijf eerst je antwoord.
err-duplicate-missing = Kies de vraag waarvan dit een dubbele is.
err-duplicate-self = Een vraag kan geen dubbele van zichzelf zijn.
err-duplicate-unknown = De vraag waarvan dit een dubbele zou zijn, bestaat niet.
err-invite-self = Nodig een andere collega uit dan jezelf of de vraagsteller.
err-question-already-closed = Deze vraag is al gesloten.
err-question-body-empty = Beschrijf je vraag.
err-question-closed = Deze vraag is gesloten en neemt geen nieuwe antwoorden aan.
err-question-has-answers = Een vraag met antwoorden kan alleen een moderator verwijderen.
err-question-not-closed = Deze vraag is niet gesloten.
err-question-tags-missing = Voeg minstens één tag toe.
err-question-title-short = De titel van een vraag heeft minstens { $min } tekens.
err-synonym-is-tag = Die naam is al een tag en kan dus geen synoniem worden.
err-synonym-taken = Die naam is al een synoniem.
err-tag-creation-points = De tag "{ $tag }" bestaat nog niet; je hebt { $points } punten nodig om tags te maken. Kies een bestaande tag of vraag het socialmediateam.
err-tag-empty = Vul een tag in.
err-user-unknown = Die collega bestaat niet of is gedeactiveerd.
err-vote-busy = Te veel stemmen tegelijk; probeer het opnieuw.
err-vote-own = Je kunt niet stemmen op je eigen vraag of antwoord.
err-vote-value = Een stem is 1 (omhoog) of -1 (omlaag).
nav-questions = Vragen
err-close-reason = Kies waarom de vraag gesloten wordt.
flash-question-asked = Je vraag staat erop.
flash-question-saved = De vraag is opgeslagen.
flash-question-closed = De vraag is gesloten.
flash-question-reopened = De vraag is weer open.
flash-question-deleted = De vraag is verwijderd.
flash-answer-posted = Je antwoord staat erop.
flash-answer-saved = Het antwoord is opgeslagen.
flash-answer-accepted = Het antwoord is geaccepteerd.
flash-answer-deleted = Het antwoord is verwijderd.
flash-comment-invalid = Een reactie heeft tekst nodig (hoogstens 2000 tekens).
flash-invited = Je collega is uitgenodigd om te antwoorden.
flash-invite-failed = Niemand actief heeft dat e-mailadres (en je kunt jezelf of de vraagsteller niet uitnodigen).
flash-expert-added = De expert is toegevoegd.
flash-expert-failed = Niemand actief heeft dat e-mailadres.
flash-synonym-added = Het synoniem is toegevoegd.
flash-synonym-failed = Dat synoniem kan niet worden toegevoegd: het is leeg, al een tag of al een synoniem.
qa-title = Vragen
qa-ask = Stel een vraag
qa-edit-question = Vraag bewerken
qa-edit-answer = Antwoord bewerken
qa-field-title = Titel
qa-title-hint = Stel hem zoals je het een collega zou vragen, bijvoorbeeld "Hoe maak ik thuis verbinding met de VPN?"
qa-field-body = Details
qa-field-tags = Tags
qa-tags-hint = Eén tot vijf, gescheiden door komma's of spaties.
qa-field-answer = Jouw antwoord
qa-similar-title = Misschien al beantwoord
qa-similar-none = Nog geen vergelijkbare vragen.
qa-post-question = Vraag plaatsen
qa-save = Opslaan
qa-cancel = Annuleren
qa-votes-short = stemmen
qa-answers-short = antwoorden
qa-score = Score { $score }
qa-answer-count = { $count ->
    [one] 1 antwoord
   *[other] { $count } antwoorden
}
qa-has-accepted = heeft een geaccepteerd antwoord
qa-empty = Hier staan nog geen vragen.
qa-more = Meer vragen
qa-views = Welke vragen
qa-view-all = Alle
qa-view-mine = Mijn vragen
qa-view-following = Tags die ik volg
qa-view-for-me = Voor mij
qa-sort = Volgorde
qa-sort-newest = Nieuwste
qa-sort-active = Actief
qa-sort-unanswered = Onbeantwoord
qa-tag-count = { $count ->
    [one] 1 vraag
   *[other] { $count } vragen
}
qa-tag-synonyms = Ook bekend als
qa-tag-follow = Tag volgen
qa-tag-unfollow = Tag niet meer volgen
qa-tag-experts = Experts
qa-tag-no-experts = Nog geen experts voor deze tag.
qa-tag-manage = Experts en synoniemen beheren
qa-expert-email = E-mailadres van de collega
qa-expert-add = Expert toevoegen
qa-expert-remove = Verwijderen
qa-synonym-name = Synoniem
qa-synonym-add = Synoniem toevoegen
qa-closed-duplicate = Gesloten als dubbele vraag
qa-closed-off_topic = Gesloten als buiten het onderwerp
qa-close = Vraag sluiten
qa-close-reason = Waarom sluiten?
qa-close-reason-duplicate = Hij is een dubbele van een andere vraag
qa-close-reason-off_topic = Hij valt buiten het onderwerp
qa-duplicate-of-field = De oorspronkelijke vraag (nummer of link)
qa-duplicate-of = Deze vraag heeft hier een antwoord:
qa-duplicates = Eerder gesteld als
qa-reopen = Heropenen
qa-delete-question = Vraag verwijderen
qa-delete-answer = Antwoord verwijderen
qa-edited = bewerkt
qa-votes-question = Stemmen op de vraag
qa-votes-answer = Stemmen op het antwoord
qa-vote-up = Nuttig (stem omhoog)
qa-vote-down = Niet nuttig (stem omlaag)
qa-accept = Accepteren
qa-unaccept = Accepteren ongedaan maken
qa-accepted = Geaccepteerd antwoord
qa-answer-by = Antwoord van { $name }
qa-outdated-banner = Dit antwoord is gemarkeerd als verouderd en klopt misschien niet meer.
qa-mark-outdated = Markeer als verouderd
qa-mark-current = Markeer als actueel
qa-add-comment = Reageer
qa-comment-label = Reactie
qa-your-answer = Beantwoord deze vraag
qa-post-answer = Antwoord plaatsen
qa-invite = Nodig een collega uit om te antwoorden
qa-invite-email = E-mailadres van de collega
qa-invite-submit = Uitnodigen
qa-back-to-question = Terug naar de vraag
nav-people = Mensen
nav-feed = Volgend
activity-post = Bericht
activity-question = Vraag
activity-answer = Antwoord
activity-none = Nog niets.
ambassadors-title = Ambassadeurs
ambassadors-no-department = Geen afdeling
ambassadors-none = Er zijn nog geen ambassadeurs.
departments-title = Afdelingen
departments-name = Naam van de afdeling
departments-new = Nieuwe afdeling
departments-add = Afdeling toevoegen
departments-rename = Hernoemen
departments-delete = Verwijderen
departments-none = Nog geen afdelingen.
err-department-empty = Vul een naam in voor de afdeling.
err-department-taken = Er bestaat al een afdeling met die naam.
err-department-unknown = Die afdeling bestaat niet.
err-field-too-long = Hoogstens { $max } tekens.
err-follow-self = Je kunt jezelf niet volgen.
err-language-code = "{ $code }" is geen taalcode van twee letters zoals nl of en.
err-link-invalid = "{ $link }" is geen http- of https-link.
err-too-many = Hoogstens { $max }.
evidence-accepted_answers = { $count ->
    [one] 1 geaccepteerd antwoord in { $tag }
   *[other] { $count } geaccepteerde antwoorden in { $tag }
}
evidence-upvoted_answers = { $count ->
    [one] 1 antwoord met stemmen in { $tag }
   *[other] { $count } antwoorden met stemmen in { $tag }
}
evidence-posts = { $count ->
    [one] 1 bericht over { $tag }
   *[other] { $count } berichten over { $tag }
}
evidence-declared = Zegt: vraag mij over { $tag }
evidence-marked_expert = Expert voor { $tag } (gekozen door het socialmediateam)
experts-title = Wie weet iets van…?
experts-topic = Onderwerp
experts-find = Experts zoeken
experts-none = Nog niemand heeft kennis van dit onderwerp laten zien.
feed-title = Volgend
feed-intro = Nieuwe berichten, vragen en antwoorden van de mensen en tags die je volgt.
flash-ambassador-saved = De lijst met ambassadeurs is bijgewerkt.
flash-department-saved = De afdeling is opgeslagen.
flash-department-deleted = De afdeling is verwijderd.
flash-photo-saved = Je foto is opgeslagen.
flash-profile-saved = Het profiel is opgeslagen.
people-title = Mensen
people-filter = Mensen filteren
people-name = Naam
people-department = Afdeling
people-location = Locatie
people-expertise = Vraag mij over
people-ambassadors-only = Alleen ambassadeurs
people-any = Alle
people-none = Geen
people-search = Zoeken
people-count = { $count ->
    [one] 1 collega
   *[other] { $count } collega's
}
profile-edit = Profiel bewerken
profile-details = Gegevens
profile-photo = Foto
profile-photo-file = Fotobestand
profile-photo-hint = PNG, JPEG of WebP, hoogstens 5 MB; hij wordt vierkant bijgesneden.
profile-photo-upload = Foto uploaden
profile-photo-remove = Foto verwijderen
profile-photo-of = Foto van { $name }
profile-job-title = Functie
profile-languages = Talen
profile-languages-hint = Codes van twee letters, bijvoorbeeld nl, en.
profile-ask-me-about = Vraag mij over
profile-bio = Over mij
profile-links = Links
profile-links-hint = Eén http- of https-link per regel, hoogstens vijf.
profile-save = Profiel opslaan
profile-follow = Volgen
profile-unfollow = Niet meer volgen
profile-followers = { $count ->
    [one] 1 volger
   *[other] { $count } volgers
}
profile-following = volgt { $count }
profile-mark-ambassador = Markeer als ambassadeur
profile-unmark-ambassador = Ambassadeursmarkering weghalen
profile-deactivated = Gedeactiveerd
profile-posts = Berichten
profile-questions = Vragen
profile-answers = Antwoorden
profile-accepted = Geaccepteerde antwoorden
profile-recent = Recente activiteit
search-title = Zoeken
search-label = Zoeken in Kring
search-placeholder = Zoek berichten, vragen, mensen…
search-words = Woorden
search-type = Soort
search-type-post = Bericht
search-type-question = Vraag
search-type-answer = Antwoord
search-type-person = Persoon
search-sort = Volgorde
search-sort-relevance = Beste match
search-sort-date = Nieuwste eerst
search-facets = Verfijnen
search-type-any = Alle soorten
search-tag-any = Alle tags
search-suggestions = Suggesties
search-count = { $count ->
    [one] 1 resultaat
   *[other] { $count } resultaten
}
