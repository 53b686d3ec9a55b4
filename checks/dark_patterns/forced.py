"""Forced action: forced registration (Mathur et al. 2019, "Forced Action").

"Create an account to continue", "Log in to see the price", "Nur für registrierte Kunden":
the shop makes an account the price of looking or buying. On the cart and checkout the
`guest-checkout` rule already reads the form (a password field and no guest option); this
rule reads what the page says, on product pages and in pop-ups, so the two never report the
same thing twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from defenceline.checks import lexicon
from defenceline.checks.dark_patterns.phrases import el, he, in_navigation, phrases
from defenceline.checks.registry import Context, Hit, register

__all__ = ["FORCED_REGISTRATION"]

FORCED_REGISTRATION = phrases(
    r"\b(?:maak|cre[ëe]er) (?:eerst )?(?:een |je |jouw |uw )?(?:gratis |eigen )?(?:account|"
    r"profiel) aan om\b|\b(?:log|meld) (?:eerst )?(?:in|je aan|u aan) om (?:te |de |je |uw |"
    r"verder|door)\b|\balleen leden (?:kunnen|mogen) (?:bestellen|kopen|afrekenen)\b|"
    r"\bregistreer (?:je|u) (?:eerst )?om\b|\b(?:account|registratie|inloggen) (?:is )?"
    r"verplicht\b|\balleen (?:voor )?(?:geregistreerde|ingelogde) (?:klanten|leden|"
    r"gebruikers)\b|\b(?:je|u) moet (?:eerst )?(?:ingelogd|geregistreerd|lid)\b|"
    r"\binloggen om (?:te bestellen|prijzen|verder)\b",
    r"\b(?:create|make|open) (?:an |a free |your |your free )?account to (?:continue|proceed|"
    r"checkout|"
    r"check out|buy|purchase|order|see|view|unlock|add|get|access|complete)\b|"
    r"\b(?:log|sign) ?in (?:or (?:register|sign up|create an account) )?to (?:continue|"
    r"proceed|checkout|check out|buy|purchase|order|see|view|add|access|complete|unlock)\b|"
    r"\b(?:register|sign up|join) (?:now |first |for free )?to (?:continue|proceed|buy|"
    r"purchase|order|see|view|unlock|add|access|checkout|check out|complete)\b|"
    r"\b(?:account|registration|login|sign[- ]?in|membership) (?:is )?(?:required|mandatory|"
    r"needed)\b|\byou (?:must|need to|have to) (?:be (?:logged|signed) in|log in|sign in|"
    r"register|create an account|have an account|be a (?:registered )?member)\b|"
    r"\b(?:members|registered (?:users|customers)) only\b|\bonly (?:for )?(?:registered|"
    r"logged[- ]in) (?:users|customers|members)\b|\bonly (?:members|registered (?:users|"
    r"customers)) (?:can|may) (?:order|buy|purchase|check out|shop)\b",
    r"\b(?:registrieren|anmelden|einloggen) sie sich,? um\b|\b(?:registriere|melde) dich,? "
    r"um\b|\bbitte (?:melden sie sich|registrieren sie sich|loggen sie sich) (?:an|ein)?,? "
    r"um\b|\b(?:kundenkonto|registrierung|anmeldung|konto) (?:ist )?(?:erforderlich|"
    r"notwendig|pflicht|n[öo]tig)\b|\bnur f[üu]r (?:registrierte|angemeldete) (?:kunden|"
    r"nutzer|mitglieder)\b|\b(?:konto|kundenkonto) (?:erstellen|anlegen),? um\b|"
    r"\bsie m[üu]ssen (?:sich )?(?:angemeldet|registriert|eingeloggt|anmelden|registrieren)\b|"
    r"\bum (?:die |unsere )?preise (?:zu )?sehen\b|\bregistrieren sie sich bitte\b|"
    r"\bpreise (?:erst )?nach (?:anmeldung|registrierung|login)\b|\b(?:erstellen sie|erstelle|"
    r"legen sie) (?:jetzt )?(?:ein|ihr|dein) (?:\w+ )?(?:kunden)?konto(?: an)?,? um\b|"
    r"\bnur f[üu]r (?:registrierte|angemeldete) (?:h[äa]ndler|gesch[äa]ftskunden|"
    r"fachh[äa]ndler|wiederverk[äa]ufer)\b|\bnur (?:registrierte )?"
    r"(?:mitglieder|kunden) k[öo]nnen (?:bestellen|kaufen|einkaufen)\b",
    r"\bcr[ée]e[zr]? (?:un |votre )?compte(?: \w+)? pour (?:continuer|commander|acheter|voir|"
    r"acc[ée]der|finaliser|poursuivre)\b|\bconnectez-vous (?:ou inscrivez-vous )?pour (?:continuer|"
    r"commander|acheter|voir|afficher|acc[ée]der|finaliser)\b|\binscri(?:vez-vous|ption) "
    r"(?:obligatoire|requise|n[ée]cessaire|pour (?:continuer|commander|voir|finaliser|acheter|"
    r"terminer|acc[ée]der))\b|\bseuls les (?:membres|clients inscrits) peuvent\b|\bvous devez "
    r"(?:[êe]tre connect[ée]|vous connecter|cr[ée]er un compte|vous inscrire|avoir un compte)\b|"
    r"\br[ée]serv[ée] aux (?:membres|clients inscrits)\b|\bcompte (?:obligatoire|requis)\b",
    r"\bcrea (?:un )?account(?: \w+)? per (?:continuare|acquistare|ordinare|vedere|procedere)\b|"
    r"\b(?:accedi|registrati) (?:o registrati )?per (?:continuare|acquistare|ordinare|vedere|"
    r"visualizzare|scoprire|conoscere|procedere|completare)\b|"
    r"\bregistrazione (?:obbligatoria|richiesta|necessaria)\b|"
    r"\bdevi (?:essere (?:registrat|loggat)[oa]|registrarti|accedere|effettuare l'accesso|"
    r"creare un account)\b|\briservato (?:agli utenti registrati|ai membri)\b|"
    r"\bsolo i (?:membri|clienti registrati) possono\b",
    r"\bcrea (?:una )?cuenta(?: \w+)? para (?:continuar|seguir|comprar|ver|pedir|finalizar)\b|"
    r"\b(?:inicia sesi[óo]n|reg[íi]strate) (?:o reg[íi]strate )?para (?:continuar|comprar|ver|"
    r"consultar|visualizar|pedir|finalizar|acceder|completar|terminar)\b|"
    r"\bregistro (?:obligatorio|necesario|"
    r"requerido)\b|\bs[óo]lo (?:los )?(?:miembros|socios|clientes registrados) pueden\b|"
    r"\bdebes (?:estar registrad[oa]|registrarte|iniciar sesi[óo]n|crear una cuenta)\b|"
    r"\bs[óo]lo para (?:usuarios|clientes) registrad[oa]s\b",
    rf"{he('יש')}\s+{he('להירשם', 'להתחבר', 'להתחבר/להירשם')}|"
    rf"{he('הירשמו', 'התחברו', 'הירשם', 'התחבר')}"
    rf"\s+{he('כדי')}|{he('צור', 'צרו', 'פתחו', 'פתח')}\s+{he('חשבון')}\s+(?:\S+\s+)?{he('כדי')}|"
    rf"{he('הרשמה', 'התחברות')}\s+{he('חובה', 'נדרשת')}|{he('למשתמשים', 'ללקוחות')}\s+"
    rf"{he('רשומים')}\s+{he('בלבד')}|{he('רק')}\s+{he('חברי', 'חברים', 'לקוחות')}\s+(?:\S+\s+)?"
    rf"{he('יכולים')}",
    r"\b(?:войдите|авторизуйтесь|зарегистрируйтесь)(?: или (?:зарегистрируйтесь|создайте "
    r"(?:аккаунт|уч[её]тную запись)))?,? чтобы\b|\bсоздайте (?:бесплатный )?(?:аккаунт|"
    r"уч[её]тную запись|личный кабинет),? чтобы\b|\bтолько (?:для )?(?:зарегистрированных|"
    r"авторизованных) (?:пользователей|покупателей|клиентов)\b|\b(?:регистрация|авторизация) "
    r"обязательна\b|\bнеобходим[аоы]? (?:войти|зарегистрироваться|авторизоваться|регистрация|"
    r"авторизация|"
    r"уч[её]тная запись)\b|\bзаказывать могут только\b",
    r"\b(?:zaloguj się|zarejestruj się|załóż (?:\w+ )?konto)(?: lub (?:załóż konto|"
    r"zarejestruj się))?,? (?:aby|żeby|by)\b|\bzamawiać mogą tylko\b|\b(?:konto|rejestracja|"
    r"logowanie) (?:jest )?(?:wymagan[ea]|obowiązkow[ea])\b|\bwymagane jest (?:konto|"
    r"zalogowanie)\b|\bmusisz (?:być zalogowany|się zalogować|się zarejestrować|mieć konto)\b",
    r"\b(?:logga in|registrera dig|bli medlem|skapa (?:ett )?(?:kostnadsfritt |gratis )?konto)"
    r"(?: eller (?:skapa (?:ett )?konto|registrera dig))? för att\b|\bendast (?:för )?"
    r"(?:medlemmar|registrerade|inloggade)\b|\b(?:ett )?(?:konto|inloggning|registrering) "
    r"krävs\b|\bdu måste (?:vara inloggad|logga in|registrera dig|ha ett konto)\b",
    rf"\b(?:{el('συνδεθείτε')}|{el('εγγραφείτε')}|{el('δημιουργήστε')} (?:{el('δωρεάν')} )?"
    rf"{el('λογαριασμό')})(?: {el('ή')} (?:{el('δημιουργήστε')} {el('λογαριασμό')}|"
    rf"{el('εγγραφείτε')}))? {el('για')} {el('να')}\b|\b{el('μόνο')} (?:{el('τα')} )?"
    rf"{el('μέλη')} {el('μπορούν')}\b|\b{el('απαιτείται')} (?:{el('λογαριασμός')}|"
    rf"{el('εγγραφή')}|{el('σύνδεση')})\b",
    r"\b(?:fa[çc]a login|entre|cadastre-se|registre-se|crie (?:uma |sua )?conta(?: \w+)?)"
    r"(?: ou (?:crie uma conta|cadastre-se))? para (?:comprar|continuar|concluir|finalizar|ver|"
    r"acessar|encomendar)\b|\bs[óo] (?:os )?(?:membros|clientes cadastrados) podem\b|"
    r"\b[ée] (?:necess[áa]rio|obrigat[óo]rio) (?:ter uma conta|fazer login|(?:se )?cadastr)|"
    r"\bcadastro obrigat[óo]rio\b|\bpara (?:ver|visualizar|comprar|finalizar)\b[^.\n]{0,25}"
    r"\b(?:fa[çc]a login|entre|cadastre-se|crie (?:uma |sua )?conta)\b|\bvoc[êe] precisa "
    r"(?:estar logad[oa]|fazer login|se cadastrar|ter uma conta)\b",
    # Prices behind a login: "Prices are visible to registered customers only", "Prijzen
    # zichtbaar na inloggen", "Ceny widoczne po zalogowaniu".
    r"\bprices? (?:are |is )?(?:only )?(?:visible|shown|displayed|available)\b[^.\n]{0,40}"
    r"\b(?:registered|logged[- ]in|signed[- ]in|after (?:login|logging in|signing in|"
    r"registration))\b",
    r"\bprijzen (?:zijn )?(?:alleen )?(?:zichtbaar|beschikbaar|te zien)\b[^.\n]{0,30}\b(?:na "
    r"(?:inloggen|aanmelden|registratie)|ingelogde|geregistreerde)\b",
    r"\bpreise\b[^.\n]{0,30}\b(?:f[üu]r|nach)\b[^.\n]{0,25}\b(?:registrierte|angemeldete|"
    r"anmeldung|registrierung|login|einloggen)\w*",
    r"\bprix (?:visibles?|affich[ée]s|r[ée]serv[ée]s)\b[^.\n]{0,30}\b(?:connect[ée]s?|inscrits?|"
    r"apr[èe]s (?:connexion|inscription))\b",
    r"\bprezzi (?:visibili|disponibili|riservati)\b[^.\n]{0,30}\b(?:registrati|dopo (?:il login|"
    r"l'accesso|la registrazione))\b",
    r"\bprecios (?:visibles|disponibles|reservados)\b[^.\n]{0,30}\b(?:registrados|(?:tras|"
    r"despu[ée]s de) (?:iniciar sesi[óo]n|registrarte))\b",
    r"\bceny (?:s[ąa] )?(?:widoczne|dost[ęe]pne)\b[^.\n]{0,25}\b(?:po zalogowaniu|dla "
    r"zalogowanych|dla zarejestrowanych)\b",
    r"\bцены (?:доступны|видны|отображаются)\b[^.\n]{0,30}\b(?:зарегистрированным|"
    r"авторизованным|после (?:входа|авторизации|регистрации))",
    r"\bpriser (?:visas|syns)\b[^.\n]{0,25}\b(?:inloggade|registrerade|efter inloggning)\b",
    r"\bpre[çc]os (?:vis[íi]veis|dispon[íi]veis)\b[^.\n]{0,30}\b(?:cadastrados|logados|ap[óo]s "
    r"(?:o )?login)\b",
    unspaced=(
        r"(?:価格|値段)を(?:見る|表示する|確認する|ご覧になる)には(?:ログイン|会員登録)|"
        r"会員(?:様)?のみ(?:ご)?購入|"
        r"(?:購入|注文|お買い物)(?:する|される)?には(?:ログイン|会員登録)|"
        r"会員登録(?:が必要|して(?:ご?購入|お支払い|注文))|(?:ご?注文|ご?購入)は会員(?:様)?限定|"
        r"ログインが必要",
    ),
    needles=("ログイン", "会員"),
)

# "(optional)": an account offered, not required, in any of the languages.
_OPTIONAL = re.compile(
    r"\b(?:optional|optioneel|facultatie[fv]|facoltativ[oa]|opcional|valfri(?:tt)?|"
    r"opcjonaln(?:ie|y)|необязательно|προαιρετικ[όή]|רשות)\b|任意",
    re.I,
)
# What an account is honestly for: "log in to see your orders", "sign in to save favourites".
_ACCOUNT_FEATURES = re.compile(
    r"wish ?list|verlanglijst|wunschliste|liste d'envies|lista (?:dei )?desideri|"
    r"lista de deseos|favou?rit|favoriet|merkliste|preferit|favor[íi]|order (?:history|status)|"
    r"your orders|bestellingen|bestelgeschiedenis|bestellungen|commandes|ordini|pedidos|"
    r"review|recensie|bewertung|avis|recensione|rese[ñn]a|ביקורת|מועדפים|הזמנות|"
    r"רשימת המשאלות|önskelist|lista życzeń|избранн|λίστα επιθυμιών|お気に入り|lista de desejos|"
    r"meus pedidos|beställningar|ordrar|moje zamówienia|мои заказы|opini|recenz|recension|"
    r"отзыв|κριτικ|avalia|レビュー|口コミ|"
    # Following an order is what an account is for, not a condition of buying.
    r"\b(?:volg|volgen|track|tracking|verfolg\w*|suivre|suivi|seguire|seguimiento|acompanhar|"
    r"seguir (?:tu|su|el|mi|los|tus) (?:pedido|env[íi]o)s?|"
    r"[śs]ledzi\w*|отслежива\w*|f[öo]lja|παρακολουθ\w*|לעקוב)\b|追跡",
    re.I,
)


@register("dark-forced-registration")
def forced_registration(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    for match, block in FORCED_REGISTRATION.matches(page, 300):
        text = block.text
        if (
            lexicon.GUEST_CHECKOUT.search(text)
            or _ACCOUNT_FEATURES.search(text)
            or _OPTIONAL.search(text)
        ):
            continue
        element = page.element_at(block.start + match.start())
        if in_navigation(element):
            continue
        yield Hit(
            "the page requires an account to go on; let shoppers buy as a guest",
            element,
            snippet=text[:200],
        )
        return
