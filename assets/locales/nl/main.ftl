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
audit-directory = Bedrijfsdirectory (SCIM)
audit-company-sign-in = Bedrijfslogin
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
err-password-weak = Dit wachtwoord is te makkelijk te raden. Gebruik een paar woorden die alleen voor jou bij elkaar horen, of een korte zin.
err-password-weak-personal = Dit wachtwoord is te makkelijk te raden: het bevat je naam of e-mailadres. Gebruik een paar woorden die niets met jou te maken hebben.
err-password-weak-common = Dit wachtwoord is te makkelijk te raden: het is een van de meest gebruikte wachtwoorden. Gebruik een paar woorden die alleen voor jou bij elkaar horen.
err-password-weak-keyboard = Dit wachtwoord is te makkelijk te raden: het volgt het toetsenbord. Gebruik liever een paar woorden.
err-password-weak-repeats = Dit wachtwoord is te makkelijk te raden: het herhaalt tekens of woorden. Gebruik een paar verschillende woorden.
err-password-weak-sequence = Dit wachtwoord is te makkelijk te raden: het is een reeks zoals abc of 123. Gebruik liever een paar woorden.
err-password-weak-dates = Dit wachtwoord is te makkelijk te raden: datums en jaartallen worden als eerste geprobeerd. Voeg een paar woorden toe.
err-password-weak-words = Dit wachtwoord is te makkelijk te raden: één woord of naam wordt als eerste geprobeerd. Voeg er een of twee woorden aan toe.
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
err-markdown-nested = Deze tekst is te diep genest: hoogstens { $max } niveaus van citaten, lijsten, nadruk of HTML-tags.
err-markdown-elements = Deze tekst heeft te veel elementen (meer dan { $max } stukjes opmaak).
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
err-upload-too-many-pixels = De afbeelding is { $width } × { $height } pixels; hoogstens { $max } megapixel (en 8000 pixels per zijde) is toegestaan.
err-upload-not-image = Het bestand is geen afbeelding (of het is beschadigd).
err-upload-format = De afbeelding is { $format }; gebruik PNG, JPEG of WebP.
err-upload-extension = Het bestand is een { $format }-afbeelding, maar de naam eindigt op { $extension }.
err-accept-not-asker = Alleen wie de vraag stelde (of een moderator) accepteert een antwoord.
err-accept-busy = Iemand anders wijzigde op hetzelfde moment het geaccepteerde antwoord; laad de pagina opnieuw en probeer het nog eens.
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
qa-votes-short = { $count ->
    [one] stem
   *[other] stemmen
}
qa-answers-short = { $count ->
    [one] antwoord
   *[other] antwoorden
}
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
search-degraded = De zoekindex wordt hersteld. Tot die klaar is komen deze resultaten uit een eenvoudige tekstvergelijking, die andere woordvormen en typefouten kan missen.
search-near-misses = Resultaten met de meeste van je woorden
search-count = { $count ->
    [one] 1 resultaat
   *[other] { $count } resultaten
}
search-count-about = Ongeveer { $count } resultaten

nav-notifications = Meldingen
nav-unread = ongelezen
notifications-title = Meldingen
notifications-settings = Instellingen voor meldingen
notifications-read-all = Alles als gelezen markeren
notifications-new = nieuw
notifications-none = Nog niets nieuws voor jou.
notifications-weekly-digest = Stuur mij het wekelijkse overzicht (topberichten, onbeantwoorde vragen in mijn tags)
notifications-save = Instellingen opslaan
flash-notifications-read = Alle meldingen zijn als gelezen gemarkeerd.
flash-preferences-saved = Je instellingen voor meldingen zijn opgeslagen.
notify-answer = { $actor } beantwoordde je vraag “{ $title }”
notify-comment = { $actor } reageerde op “{ $title }”
notify-accepted = { $actor } accepteerde je antwoord op “{ $title }”
notify-mention = { $actor } noemde je in “{ $title }”
notify-question = Nieuwe vraag in een van jouw tags: “{ $title }”
notify-invited = { $actor } vraagt je “{ $title }” te beantwoorden
notify-post_approved = Je bericht “{ $title }” is goedgekeurd
notify-post_returned = Je bericht “{ $title }” is teruggestuurd voor aanpassingen
notify-post_submitted = { $actor } vraagt je “{ $title }” te beoordelen
notify-post_resubmitted = { $actor } paste “{ $title }” aan en vraagt je het opnieuw te beoordelen
nav-review-waiting = wachten op beoordeling
notify-badge = Je hebt een badge verdiend: { $title }
notify-award = Jij bent de Social Guru: { $title }
notify-nomination = { $actor } nomineerde iemand als Social Guru: { $title }
notif-category-replies = Antwoorden, reacties en geaccepteerde antwoorden
notif-category-mentions = Vermeldingen van jou
notif-category-questions = Nieuwe vragen in jouw tags en uitnodigingen om te antwoorden
notif-category-reviews = Beoordelingen van je berichten
notif-category-rewards = Badges en onderscheidingen
notif-category-nominations = Nominaties voor Social Guru
notif-category-digest = Het wekelijkse overzicht
notif-delivery-in_app = Alleen in Kring
notif-delivery-immediate = Meteen per e-mail
notif-delivery-daily = In een dagelijkse e-mail
notif-delivery-weekly = In het wekelijkse overzicht
unsubscribe-title = Afmelden
unsubscribe-ask = Geen e-mails meer over: { $category }? Je ziet ze nog steeds in Kring.
unsubscribe-confirm = Afmelden
unsubscribe-done = Klaar: geen e-mails meer over { $category }. Je kunt dit wijzigen bij je instellingen voor meldingen.
email-hello = Hallo { $name },
email-open = Openen in Kring
email-why = Je krijgt deze e-mail door je instellingen voor meldingen in Kring.
email-unsubscribe = Afmelden voor deze e-mails
email-digest_daily-subject = Je dagelijkse Kring-overzicht ({ $period })
email-digest_weekly-subject = Jouw week in Kring ({ $period })
digest-top-posts = Topberichten van de week
digest-unanswered = Onbeantwoorde vragen in jouw tags
digest-notifications = Voor jou
digest-nothing = Deze keer niets.
err-mail-not-failed = Alleen een mislukte e-mail kan opnieuw worden verstuurd.
# Wachtwoord herstellen per e-mail en uitnodigingen
login-forgot = Wachtwoord vergeten?
page-forgot-title = Wachtwoord vergeten
forgot-intro = Vul het e-mailadres van je account in. We sturen je een link om een nieuw wachtwoord te kiezen.
forgot-submit = Stuur me een link
forgot-sent = Als er een account met dit adres bestaat, is er een e-mail onderweg met een link om een nieuw wachtwoord te kiezen. De link werkt één keer, een uur lang.
forgot-sent-hint = Na een paar minuten nog geen e-mail? Kijk in je spammap, of vraag het een beheerder.
forgot-back-to-login = Terug naar inloggen
page-reset-title = Kies een nieuw wachtwoord
reset-intro = Kies een nieuw wachtwoord voor { $email }. Daarna ben je overal elders uitgelogd.
reset-submit = Nieuw wachtwoord opslaan
page-invitation-title = Welkom bij Kring
invitation-intro = Welkom, { $name }! Kies een wachtwoord voor je account { $email }.
invitation-submit = Wachtwoord opslaan
page-link-expired-title = Deze link werkt niet meer
reset-expired = Deze wachtwoordlink is al gebruikt, verlopen of onvolledig. Een link werkt één keer en een uur lang. Vraag een nieuwe aan.
reset-request-new = Stuur me een nieuwe link
invitation-expired = Deze uitnodiging is al gebruikt, verlopen of onvolledig. Vraag een beheerder om je opnieuw uit te nodigen.
page-admin-invitations-title = Uitnodigingen
admin-invite-someone = Iemand uitnodigen
admin-invite-intro = De persoon krijgt een e-mail met een link om een wachtwoord te kiezen; de link werkt één keer, zeven dagen lang.
admin-invite-language = Taal van de e-mail
admin-invite-submit = Uitnodiging versturen
admin-invitations-pending = Wachten op een wachtwoord
admin-invitations-none = Iedereen die is uitgenodigd heeft een wachtwoord gekozen.
admin-invitation-valid-until = Link geldig tot
admin-invitation-expired = Verlopen
admin-invitation-actions = Acties
admin-invitation-resend = Nieuwe link sturen
err-reset-link-invalid = Deze wachtwoordlink is al gebruikt of verlopen. Vraag een nieuwe aan.
err-invitation-invalid = Deze uitnodiging is al gebruikt of verlopen. Vraag een beheerder om een nieuwe.
err-invitation-accepted = Deze persoon heeft al een wachtwoord gekozen.
err-reset-too-many = Te veel aanvragen voor een wachtwoordlink. Probeer het over { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} opnieuw.
flash-password-reset = Je nieuwe wachtwoord is opgeslagen en je bent ingelogd. Andere browsers zijn uitgelogd.
flash-invitation-accepted = Je wachtwoord is opgeslagen. Welkom bij Kring!
flash-invitation-sent = De uitnodiging is verstuurd.
flash-invitation-resent = Er is een nieuwe uitnodigingslink verstuurd; de oude werkt niet meer.
email-password_reset-subject = Kies een nieuw Kring-wachtwoord
email-reset-intro = Iemand, hopelijk jij, heeft een nieuw wachtwoord aangevraagd voor het Kring-account { $email }. Kies er een met deze link:
email-reset-button = Kies een nieuw wachtwoord
email-link-fallback = Of kopieer dit adres naar je browser:
email-reset-expiry = De link werkt één keer en een uur lang.
email-reset-ignore = Heb je hier niet om gevraagd? Negeer deze e-mail dan: je wachtwoord blijft zoals het is.
email-invitation-subject = { $actor } nodigt je uit voor Kring
email-invitation-intro = { $actor } heeft een account voor je gemaakt in Kring, waar collega's delen wat ze weten, vragen stellen en beantwoorden, en elkaar vinden.
email-invitation-login = Je logt in met { $email }.
email-invitation-button = Kies je wachtwoord
email-invitation-expiry = De link werkt één keer en { $days } dagen lang. Verlopen? Vraag een beheerder om een nieuwe.
email-invitation-site = Kring staat op
page-admin-mail-title = E-mail
mail-status = Status
mail-status-failed = Mislukt
mail-status-pending = Wachtend
mail-status-sent = Verstuurd
mail-to = Aan
mail-kind = Soort
mail-attempts = Pogingen
mail-error = Laatste fout
mail-created = In de wachtrij gezet
mail-actions = Acties
mail-retry = Opnieuw versturen
mail-none = Geen e-mails hier.
mail-no-smtp = Er is geen SMTP-server ingesteld (KRING_SMTP_URL): e-mails blijven in de wachtrij tot er een is.
flash-mail-retried = De e-mail staat opnieuw in de wachtrij.
err-rule-points = Punten moeten tussen 0 en { $max } liggen.
err-rule-cap = Een daglimiet moet tussen 1 en { $max } liggen.
digest-points = Jouw punten
digest-points-text = { $points ->
    [one] 1 punt
   *[other] { $points } punten
} in { $month }; { $total } in totaal.

## Gamification pages
nav-leaderboard = Ranglijst
nav-social-guru = Social Guru
nav-hall-of-fame = Eregalerij
nav-point-rules = Puntenregels
page-leaderboard-title = Ranglijst
leaderboard-period = Periode
leaderboard-all-time = Altijd
leaderboard-department = Afdeling
leaderboard-everyone = Iedereen
leaderboard-show = Tonen
leaderboard-hidden = Persoonlijke ranglijsten staan in dit bedrijf uit. Je eigen punten en badges blijven voor jou zichtbaar.
leaderboard-empty = Nog niemand heeft punten in deze periode.
leaderboard-rank = Plaats
leaderboard-person = Persoon
leaderboard-points = Punten
leaderboard-mine = Jouw punten
leaderboard-my-points = { $points ->
    [one] 1 punt
   *[other] { $points } punten
}
leaderboard-my-rank = plaats { $rank }
leaderboard-rule = Regel
rule-post_published = Blogbericht gepubliceerd
rule-review_completed = Redactionele beoordeling afgerond
rule-question_asked = Vraag gesteld
rule-answer_posted = Antwoord gegeven
rule-answer_accepted = Antwoord geaccepteerd (voor wie antwoordde)
rule-answer_accepted_asker = Antwoord geaccepteerd (voor wie vroeg)
rule-answer_upvoted = Stem ontvangen op een antwoord
rule-post_liked = Like ontvangen op een bericht
rule-comment_posted = Reactie geplaatst
page-rules-title = Puntenregels
rules-intro = Wijzigingen gelden vanaf nu en worden vastgelegd in het auditlog. Een dagmaximum begrenst de punten die iemand op één dag krijgt uit deze regel en de andere begrensde regels samen.
rules-cap-per-day = hoogstens { $cap } per dag
rules-member-hint = Punten tellen voor de maandelijkse ranglijst en de Social Guru. Voor iets met je eigen bijdragen krijg je er geen.
points-how = Zo verdien je punten
rules-points = Punten
rules-cap = Dagmaximum
rules-enabled = Aan
rules-save = Regels opslaan
rules-recompute-title = Herberekenen vanaf een datum
rules-recompute-intro = Waardeert alle punten die op of na deze datum zijn toegekend opnieuw volgens de huidige regels. Dit wordt vastgelegd in het auditlog.
rules-recompute-from = Vanaf
rules-recompute = Herberekenen
flash-rules-saved = De puntenregels zijn opgeslagen.
flash-points-recomputed = De punten zijn herberekend.
err-recompute-date = Geef een datum als JJJJ-MM-DD.
page-guru-title = Social Guru van de maand
guru-month = Maand
guru-awarded-to = { $name } is de Social Guru van { $month }.
guru-month-open = Deze maand is nog niet afgesloten: je kunt nu nomineren en toekennen zodra hij voorbij is.
guru-suggestions = Voorgestelde kandidaten
guru-no-suggestions = Niemand verdiende punten in deze maand.
guru-reason-leaderboard = Bovenaan de ranglijst van de maand
guru-reason-top_answer = Het antwoord met de meeste stemmen van de maand
guru-reason-top_post = Het meest gelikete bericht van de maand
guru-reason = Reden
guru-nominate-person = { $name } nomineren
guru-nominate-other = Iemand anders nomineren
guru-nominee-email = E-mailadres van de persoon
guru-nominate = Nomineren
guru-nominations = Nominaties
guru-no-nominations = Nog geen nominaties voor deze maand.
guru-nominated-by = genomineerd door { $name }
guru-award = Social Guru toekennen aan { $name }
guru-revoke = Intrekken
guru-revoke-reason = Waarom wordt deze toekenning ingetrokken?
guru-revoke-confirm = Toekenning aan { $name } voor { $month } intrekken
flash-nominated = De nominatie is vastgelegd.
flash-guru-awarded = De Social Guru is toegekend.
flash-guru-revoked = De toekenning is ingetrokken.
err-guru-social-team = Alleen het social team kan dit doen.
err-guru-month = Geef een maand als JJJJ-MM.
err-guru-future = Die maand is nog niet begonnen.
err-guru-open-month = Een maand kan worden toegekend zodra hij voorbij is.
err-guru-reason = Geef een reden van hoogstens { $max } tekens.
err-guru-nominee = Er is geen actieve persoon met dat adres.
err-guru-nominated-already = Je hebt deze persoon al genomineerd voor deze maand.
err-guru-awarded-already = Deze maand heeft al een Social Guru.
err-guru-revoked-already = Deze toekenning is al ingetrokken.
page-hall-of-fame-title = Eregalerij
hall-empty = Er is nog geen Social Guru toegekend.
hall-badges = Badges
hall-holders = { $count ->
    [one] één persoon
   *[other] { $count } mensen
}
home-guru = Social Guru van { $month }
profile-points-month = Punten deze maand
profile-points-all = Punten in totaal
profile-badges = Badges
settings-leaderboard-title = Ranglijsten
settings-leaderboard-hide = Persoonlijke ranglijsten verbergen (badges en ieders eigen punten blijven zichtbaar)
settings-leaderboard-exclude = Mensen met deze rollen niet opnemen in ranglijsten
notify-guru_open = De nominaties voor de Social Guru van { $title } zijn geopend
badge-social-guru = Social Guru { $month }
badge-first_post = Eerste bericht
badge-first_post-desc = Een eerste blogbericht gepubliceerd.
badge-first_question = Nieuwsgierig
badge-first_question-desc = Een eerste vraag gesteld.
badge-first_accepted = Helper
badge-first_accepted-desc = Een eerste antwoord geaccepteerd op de vraag van iemand anders.
badge-accepted_10 = Probleemoplosser
badge-accepted_10-desc = Tien antwoorden geaccepteerd.
badge-accepted_50 = Orakel
badge-accepted_50-desc = Vijftig antwoorden geaccepteerd.
badge-good_answer = Goed antwoord
badge-good_answer-desc = Een antwoord met vijf of meer stemmen.
badge-prolific_month = Productieve schrijver
badge-prolific_month-desc = Vijf berichten gepubliceerd in één maand.
badge-helpful_commenter = Behulpzame reageerder
badge-helpful_commenter-desc = Tien reacties op vragen en antwoorden van anderen.
# Webhooks
page-admin-webhooks-title = Webhooks
webhooks-intro = Een webhook stuurt nieuwe berichten, vragen of antwoorden door naar een ander hulpmiddel, zoals de teamchat, als ondertekend JSON-verzoek. Alleen wat elke collega mag zien wordt verstuurd.
webhooks-event = Gebeurtenis
webhooks-url = URL
webhooks-url-hint = Het adres dat de POST-verzoeken ontvangt (https:// of http://).
webhooks-status = Status
webhooks-secret = Geheim
webhooks-actions = Acties
webhooks-active = Actief
webhooks-inactive = Uit
webhooks-activate = Aanzetten
webhooks-deactivate = Uitzetten
webhooks-delete = Verwijderen
webhooks-none = Nog geen webhooks.
webhooks-new = Nieuwe webhook
webhooks-add = Webhook toevoegen
webhooks-signature-hint = Elk verzoek heeft X-Kring-Signature: sha256=HMAC-SHA256(geheim, "tijdstempel.body") met de tijdstempel uit X-Kring-Timestamp; X-Kring-Delivery blijft gelijk als een levering opnieuw wordt geprobeerd.
webhooks-deliveries = Recente leveringen
webhooks-delivery = Levering
webhooks-attempts = Pogingen
webhooks-last-error = Laatste fout
webhooks-created = Aangemaakt
webhooks-retry = Opnieuw versturen
webhooks-no-deliveries = Nog niets verstuurd.
webhook-event-post_published = Bericht gepubliceerd
webhook-event-question_asked = Vraag gesteld
webhook-event-answer_posted = Antwoord geplaatst
webhook-delivery-pending = In de wachtrij
webhook-delivery-delivered = Afgeleverd
webhook-delivery-failed = Mislukt
err-webhook-url = Vul een volledig http://- of https://-adres in.
err-webhook-event = Kies een van de gebeurtenissen: post_published, question_asked of answer_posted.
err-webhook-delivery-not-failed = Alleen een mislukte levering kan opnieuw worden verstuurd.
flash-webhook-created = Webhook toegevoegd.
flash-webhook-activated = Webhook aangezet.
flash-webhook-deactivated = Webhook uitgezet.
flash-webhook-deleted = Webhook verwijderd.
flash-webhook-retried = De levering staat weer in de wachtrij.

## KPI dashboard
nav-kpis = KPI's
page-kpi-title = KPI's van de community
kpi-period = Periode
kpi-last-weeks = Laatste { $weeks } weken
kpi-period-span = Van { $from } tot { $to } (weken beginnen op maandag, UTC).
kpi-answer-rate = Beantwoord
kpi-median-first = Mediane tijd tot een eerste antwoord
kpi-median-accepted = Mediane tijd tot het geaccepteerde antwoord
kpi-hours = { $hours } u
kpi-cross = Antwoorden tussen afdelingen
kpi-download-csv = CSV downloaden
kpi-show-table = De cijfers als tabel tonen
kpi-week = Week
kpi-contributors = Bijdragers
kpi-readers = Lezers
kpi-posts = Berichten
kpi-questions = Vragen
kpi-answers = Antwoorden
kpi-comments = Reacties
kpi-people = Mensen
kpi-participation = Deelname deze maand
kpi-tag = Tag
kpi-previous = Periode ervoor
kpi-quarter = Kwartaal
kpi-level = Stap
kpi-readiness-score = Score
kpi-no-departments = Nog geen afdelingen.
kpi-none-unanswered = Elke open vraag heeft een antwoord.
kpi-no-readiness = Nog geen meting van de social readiness.
kpi-readiness-fill = De social readiness van dit kwartaal invullen
kpi-chart-people = Bijdragers en lezers per week
kpi-chart-content = Berichten, vragen, antwoorden en reacties per week
kpi-chart-participation = Aandeel mensen dat deze maand bijdroeg, per afdeling
kpi-chart-points = Toegekende punten per regel
kpi-chart-readiness = Social readiness per kwartaal (1 tot 5)
kpi-table-weekly = Activiteit per week
kpi-table-answers = Antwoorden
kpi-table-cross_department = Antwoorden tussen afdelingen
kpi-table-departments = Deelname per afdeling
kpi-everywhere = Overal
kpi-table-spaces = Spaces
kpi-spaces-note = Activiteit per space in de periode. De bedrijfsbrede cijfers hierboven tellen elke space mee, ook besloten en geheime.
kpi-table-unanswered_by_tag = Onbeantwoorde vragen per tag
kpi-table-top_contributors = Grootste bijdragers
kpi-table-rising_contributors = Stijgers
kpi-table-ambassadors = Activiteit van ambassadeurs
kpi-table-points_by_rule = Punten per regel
kpi-table-readiness = Social readiness
page-readiness-title = Meting social readiness
readiness-intro = Hoe ver is het bedrijf? Beoordeel elke stelling voor { $quarter }, van 1 (helemaal niet) tot 5 (helemaal). Opnieuw invullen vervangt de antwoorden van dit kwartaal.
readiness-note = Toelichting
readiness-save = Meting opslaan
flash-readiness-saved = De meting is opgeslagen.
err-readiness-quarter = Geef een kwartaal als JJJJ-Qn, dit kwartaal of een eerder.
err-readiness-answers = Beoordeel alle { $count } stellingen van 1 tot 5.
err-readiness-note = Een toelichting heeft hoogstens { $max } tekens.
readiness-score-1 = 1 helemaal niet
readiness-score-2 = 2
readiness-score-3 = 3
readiness-score-4 = 4
readiness-score-5 = 5 helemaal
readiness-level-1 = Social Junior
readiness-level-2 = Social Medior
readiness-level-3 = Social Senior
readiness-level-4 = Social Expert
readiness-level-5 = Social Guru
readiness-q-1 = De leiding deelt kennis open en zichtbaar.
readiness-q-2 = Kennis delen hoort bij de strategie en de doelen van het bedrijf.
readiness-q-3 = Medewerkers vragen collega's buiten hun afdeling om hulp.
readiness-q-4 = Vragen krijgen snel een goed antwoord.
readiness-q-5 = Ambassadeurs in elke afdeling bloggen en helpen anderen.
readiness-q-6 = Bijdragen worden gezien en beloond.
readiness-q-7 = Mensen vinden de collega die het weet.
readiness-q-8 = De gezondheid van de community wordt gemeten en besproken.
readiness-q-9 = Nieuwe collega's leren vanaf dag één open te werken.
readiness-q-10 = Kennis stroomt over landen en talen heen.

# Self-registration with a proven mailbox
register-sent-title = Kijk in je mailbox
register-sent = Als dit adres een account mag hebben, is er een e-mail naar onderweg: open de link daarin om je account te activeren (die werkt één keer, twee dagen lang). Heb je al een account? Dan staat in de e-mail hoe je inlogt.
page-verify-title = Activeer je account
verify-intro = Activeer het Kring-account voor { $email }.
verify-submit = Activeer mijn account
verify-expired = Deze activeringslink is al gebruikt, verlopen of onvolledig. Een link werkt één keer, twee dagen lang. Registreer opnieuw voor een nieuwe.
verify-register-again = Opnieuw registreren
err-verify-link-invalid = Deze activeringslink is al gebruikt, verlopen of onvolledig.
email-verify_email-subject = Activeer je Kring-account
email-verify-intro = Iemand, hopelijk jij, heeft het Kring-account { $email } geregistreerd. Activeer het met deze link:
email-verify-button = Activeer mijn account
email-verify-expiry = De link werkt één keer, twee dagen lang.
email-verify-ignore = Heb je je niet geregistreerd? Negeer deze e-mail dan: zonder de link wordt er geen account gemaakt.
email-account_exists-subject = Iemand probeerde zich met jouw adres te registreren
email-account-exists-intro = Iemand, misschien jij, probeerde een nieuw Kring-account te registreren met { $email }. Je hebt al een account met dit adres, dus er is niets aangemaakt.
email-account-exists-login = Inloggen
email-account-exists-reset = Wachtwoord vergeten?
email-account-exists-ignore = Was jij het niet? Dan hoef je niets te doen; je account is ongewijzigd.

# Webhooks and internal networks
err-webhook-credentials = Een webhook-URL mag geen gebruikersnaam of wachtwoord bevatten; zet een token in het pad of controleer de afzender met de handtekening.
err-webhook-internal = { $address } is een intern adres; webhooks gaan naar het internet, tenzij een beheerder dat bereik hieronder toestaat.
err-webhook-network = { $network } is geen netwerkbereik (bijv. 10.20.0.0/16) of adres.
err-webhook-networks-too-many = Hoogstens { $max } bereiken.
webhooks-networks = Interne netwerken die webhooks mogen bereiken
webhooks-networks-label = Bereiken, één per regel
webhooks-networks-hint = Eén bereik per regel, bijv. 10.20.0.0/16 voor een ontvanger op het intranet. Buiten deze bereiken bereiken webhooks nooit loopback-, privé- of link-local-adressen.
webhooks-networks-save = Bereiken bewaren
flash-webhook-networks = De toegestane bereiken zijn bewaard.

# Company defaults
settings-company-title = Standaarden van het bedrijf
settings-company-intro = De taal en tijdzone van iedereen die zelf niets heeft gekozen.
settings-company-language = Taal
settings-company-time-zone = Tijdzone
err-time-zone = { $zone } is geen tijdzone; gebruik een naam zoals Europe/Amsterdam.

# Proposed tags
page-proposed-tags-title = Voorgestelde tags
proposed-tags-intro = Collega’s zonder de punten om tags te maken stelden deze voor bij hun vragen. Keur een tag goed, voeg hem samen met een bestaande (hij wordt dan een synoniem daarvan) of wijs hem af met een vervanger.
proposed-tags-questions = { $count ->
    [one] 1 vraag
   *[other] { $count } vragen
}
proposed-tags-approve = Goedkeuren
proposed-tags-merge-into = Samenvoegen met tag
proposed-tags-merge = Samenvoegen
proposed-tags-replacement = Vervangen door tag
proposed-tags-reject = Afwijzen
proposed-tags-none = Er wachten geen tags op een besluit.
flash-tag-approved = De tag is goedgekeurd.
flash-tag-merged = De tag is samengevoegd; zijn naam leidt nu naar de andere tag.
flash-tag-rejected = De tag is afgewezen; de vragen hebben nu de vervanger.
err-tag-replacement-required = Noem de bestaande tag die de vragen in plaats daarvan krijgen.
err-tag-unknown = Er is geen tag “{ $tag }”.
nav-proposed-tags = Voorgestelde tags
tags-suggestions = Passende tags

# Times
time-just-now = zojuist
time-minutes-ago = { $count ->
    [one] 1 minuut geleden
   *[other] { $count } minuten geleden
}
time-hours-ago = { $count ->
    [one] 1 uur geleden
   *[other] { $count } uur geleden
}
time-yesterday = gisteren
time-days-ago = { $count ->
    [one] 1 dag geleden
   *[other] { $count } dagen geleden
}
account-dates = Datums en tijden
account-time-zone = Tijdzone
account-time-zone-hint = Datums en tijden staan in deze zone. Leeg: die van het bedrijf ({ $zone }).
flash-time-zone-saved = Je tijdzone is bewaard.

## Bedrijfslogin (OpenID Connect)
sso-login = Inloggen met { $name }
sso-or-password = of met je wachtwoord
sso-break-glass-login = Inloggen als beheerder met een wachtwoord
sso-logged-out = Je bent uitgelogd uit Kring.
sso-logout-provider = Ook uitloggen bij { $name }
sso-error-title = Inloggen is niet gelukt
sso-error-back = Terug naar de inlogpagina
sso-error-not-configured = Bedrijfslogin is niet ingesteld. Log in met je wachtwoord, of vraag het een beheerder.
sso-error-unreachable = De inlogdienst van het bedrijf gaf geen antwoord. Probeer het zo nog eens.
sso-error-state = Deze inloglink is niet meer geldig (al gebruikt, verlopen, of in een andere browser begonnen). Begin opnieuw op de inlogpagina.
sso-error-denied = De inlogdienst van het bedrijf heeft je niet toegelaten.
sso-error-exchange = De inlogdienst van het bedrijf accepteerde deze aanmelding niet (de code is al gebruikt of verlopen). Begin opnieuw op de inlogpagina.
sso-error-token = De inlogdienst van het bedrijf stuurde een antwoord dat Kring niet kan vertrouwen, dus je bent niet ingelogd. Blijft dit gebeuren, meld het dan aan een beheerder.
sso-error-no-email = De inlogdienst van het bedrijf gaf je e-mailadres niet door, en Kring heeft dat nodig voor je account.
sso-error-unverified = Er bestaat al een account met dit e-mailadres en de inlogdienst van het bedrijf bevestigt het adres niet. Vraag een beheerder om je account te koppelen.
sso-error-deactivated = Je account is gedeactiveerd.
err-sso-only = Wachtwoorden staan uit: log in met je bedrijfsaccount.
err-break-glass-admin = Dit is de noodbeheerder van de alleen-SSO-modus: deze blijft actief beheerder zolang die modus aan staat.
err-sso-issuer = Vul de issuer-URL van de provider in, beginnend met https:// (of http:// op een gesloten netwerk).
err-sso-groups-claim = Vul de naam van één claim in, zonder spaties.
err-sso-group = Vul de naam van de groep in zoals de provider die stuurt.
err-sso-mapping-empty = Kies een rol, een afdeling of allebei.
err-sso-mapping-member = Iedereen is al lid; kies een andere rol.
err-sso-not-configured = Stel eerst de provider in (issuer, client-ID en secret) voordat die de enige toegang wordt.
err-sso-unreachable = De provider beantwoordt zijn discovery-document niet, dus die kan niet de enige toegang worden.
err-sso-break-glass = Wijs de noodbeheerder aan: het e-mailadres van een actieve beheerder met een wachtwoord.
sso-admin-title = Bedrijfslogin
sso-admin-intro = Laat mensen inloggen met de identiteitsprovider van het bedrijf (Microsoft Entra ID, Okta, Google Workspace, Keycloak, ADFS) via OpenID Connect. Hun account ontstaat bij de eerste keer inloggen; naam, adres, rollen en afdeling volgen de directory bij elke aanmelding.
sso-admin-redirect = Registreer deze redirect-URI bij de provider:
sso-provider-title = Provider
sso-display-name = Naam op de knop ("Inloggen met …")
sso-issuer = Issuer-URL
sso-client-id = Client-ID
sso-client-secret = Client-secret
sso-secret-kept = Er is een secret opgeslagen. Die wordt nooit meer getoond; laat leeg om hem te houden.
sso-secret-none = Nog geen secret opgeslagen.
sso-groups-claim = Claim met de groepen
sso-from-env = Velden die de omgeving instelt (KRING_OIDC_*) kun je hier niet wijzigen.
sso-groups-title = Groepen naar rollen en afdelingen
sso-groups-intro = Bij elke aanmelding krijgt iemand de rollen en de afdeling waar zijn groepen naar verwijzen. Rollen die geen koppeling noemt, blijven zoals beheerders ze instelden.
sso-group = Groep
sso-role = Rol
sso-department = Afdeling
sso-none = (geen)
sso-groups-none = Nog geen koppelingen.
sso-mapping-add = Koppeling toevoegen
sso-mapping-remove = Verwijderen
sso-mode-title = Alleen-SSO-modus
sso-mode-intro = Met alleen-SSO aan werken wachtwoorden niet meer: het inlogformulier, registreren en wachtwoordherstel worden geweigerd, behalve voor één noodbeheerder die erin kan als de provider plat ligt.
sso-only = Bedrijfslogin is de enige toegang
sso-break-glass = Noodbeheerder (e-mail)
sso-break-glass-hint = Een actieve beheerder met een wachtwoord; dit account houdt altijd zijn wachtwoord en zijn beheerdersrol.
scim-admin-title = Provisioning
scim-admin-intro = Je bedrijfsdirectory (Microsoft Entra ID, Okta, Google) kan via SCIM mensen en groepen in Kring aanmaken, bijwerken en deactiveren. Geef de directory het adres hieronder en een token dat je hier maakt. Wie de directory deactiveert of verwijdert, verliest meteen de toegang; berichten en antwoorden blijven staan.
scim-admin-url = SCIM-adres:
scim-admin-counts = { $people ->
    [one] Eén persoon
   *[other] { $people } mensen
} en { $groups ->
    [one] één groep
   *[other] { $groups } groepen
} komen uit de directory.
scim-tokens-list = Provisioningtokens
scim-token-new = Nieuw provisioningtoken
scim-tokens-none = Nog geen provisioningtokens.
err-space-kind = Een space is open, besloten of geheim.
err-space-name = Geef de space een naam.
err-space-language = De taal van een space is nl of en.
err-space-group-unknown = Er is geen directorygroep met dit id.
err-space-last-moderator = Een space heeft minstens één moderator nodig; wijs eerst een ander aan.
err-space-not-member = Je kunt alleen posten in spaces waar je lid van bent.
space-field = Space
space-company-wide = Hele bedrijf (iedereen)
nav-spaces = Spaces
spaces-title = Spaces
spaces-intro = Gemeenschappen met een grens: een land, een afdeling, een project, een cocreatiegroep. Open spaces kan iedereen in en lezen; besloten spaces tonen hun leden alleen aan leden en nemen verzoeken aan; geheime spaces zien alleen hun leden.
spaces-none = Nog geen spaces.
spaces-none-create = Begin er hieronder een: een team, een land of een project.
space-new = Nieuwe space
space-name = Naam
space-kind = Soort
space-kind-hint = Open: iedereen kan meedoen en lezen. Besloten: iedereen ziet dat hij bestaat, meedoen vraagt goedkeuring, de inhoud is voor leden. Geheim: alleen leden weten dat hij bestaat.
space-kind-open = Open
space-kind-closed = Besloten
space-kind-secret = Geheim
space-description = Beschrijving
space-language-any = Elke taal
space-create = Space aanmaken
space-members = { $count ->
    [one] één lid
   *[other] { $count } leden
}
space-you-member = je bent lid
space-you-moderator = jij modereert hem
space-you-requested = je verzoek wacht op goedkeuring
space-join = Meedoen
space-request = Vragen om mee te doen
space-leave = Verlaten
space-withdraw = Verzoek intrekken
space-manage = Leden en verzoeken
space-ask = Vraag stellen in deze space
space-write = Schrijven in deze space
space-questions = Vragen
space-posts = Berichten
space-people = Leden
space-no-questions = Hier zijn nog geen vragen.
space-no-posts = Hier zijn nog geen berichten.
space-closed-notice = Wat hier gedeeld wordt, is voor leden. Vraag om mee te doen om mee te lezen.
space-role-moderator = moderator
space-role-member = lid
space-members-title = Leden en verzoeken
space-requests = Willen meedoen
space-approve = Goedkeuren
space-refuse = Weigeren
space-person = Collega
space-role = Rol
space-make-moderator = Moderator maken
space-make-member = Lid maken
space-remove = Verwijderen
space-add = Een collega toevoegen
space-add-email = Hun e-mailadres
space-add-button = Toevoegen
err-space-no-such-colleague = Geen actieve collega heeft dit e-mailadres.
flash-space-created = De space is klaar; jij bent de moderator.
flash-space-joined = Je doet mee in de space.
flash-space-requested = Je verzoek om mee te doen is naar de moderators gestuurd.
flash-space-left = Je hebt de space verlaten.
flash-space-member-added = Toegevoegd.
flash-space-member-removed = Verwijderd.
err-space-unknown = Die space bestaat niet.
webhooks-space-hint = Een webhook krijgt de inhoud van het hele bedrijf of die van één space, nooit allebei: wat in een space gedeeld wordt, blijft bij wie de space koos.

# Zoeksynoniemen en taalgegevens (issue 23)
search-synonyms-title = Zoeksynoniemen
search-synonyms-intro = Woorden die bij ons hetzelfde betekenen: vakjargon, afkortingen, oude en nieuwe namen. Wie op het ene zoekt, vindt ook de andere, net onder het woord zelf. Een wijziging geldt vanaf de volgende zoekopdracht.
search-synonyms-groups = Groepen
search-synonyms-words = Woorden van deze groep, gescheiden door komma's
search-synonyms-save = Opslaan
search-synonyms-remove = Verwijderen
search-synonyms-none = Nog geen groepen. Voeg de afkortingen en het jargon toe waarop collega's zoeken, zoals “wfh, thuiswerken, remote work”.
search-synonyms-new = Nieuwe groep
search-synonyms-hint = Twee tot twintig woorden of uitdrukkingen van hooguit drie woorden, gescheiden door komma's, bijvoorbeeld: MT, managementteam, management team
search-synonyms-add = Groep toevoegen
search-synonyms-from-tags = Uit tags
search-synonyms-from-tags-intro = Een tag en zijn synoniemen betekenen ook bij zoeken hetzelfde. Je wijzigt ze op de pagina van de tag.
search-synonyms-no-tags = Nog geen tag heeft synoniemen.
flash-search-synonyms-saved = De synoniemen zijn opgeslagen; de volgende zoekopdracht gebruikt ze.
flash-search-synonyms-removed = De groep is verwijderd.
err-synonym-term-empty = “{ $term }” bevat geen letters of cijfers.
err-synonym-term-long = “{ $term }” is te lang: hooguit 60 tekens en drie woorden.
err-synonym-too-few = Een groep heeft minstens twee verschillende woorden nodig.
err-synonym-too-many = Een groep bevat hooguit twintig woorden.
settings-language-title = Taalgegevens voor zoeken
settings-language-intro = Wat zoeken naast stammen gebruikt om Nederlands en Engels samen te begrijpen. Zonder een bestand werkt zoeken nog steeds, met minder begrip.
settings-language-dutch-words = Nederlandse woorden (samenstellingen splitsen)
settings-language-irregular = Onregelmatige Nederlandse meervouden
settings-language-forms = Onregelmatige werkwoorden en meervouden (woordvormen bij zoeken)
settings-language-nl-en = Nederlandse woorden en uitdrukkingen met een Engelse vertaling
settings-language-en-nl = Engelse woorden en uitdrukkingen met een Nederlandse vertaling
settings-language-glossary = Termen in de woordenlijsten (werkplek en dagelijks leven)
settings-language-synonyms = Groepen zoeksynoniemen
settings-language-dir = Map
settings-language-missing = Niet geladen:
search-did-you-mean = Bedoelde je
search-ask-this = Stel dit als vraag
search-nothing-found = Niets gevonden voor deze woorden.
search-synonyms-manage = Zoeksynoniemen: het jargon en de afkortingen van het bedrijf
