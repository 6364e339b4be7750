// Words of the pages in French (the default) and English, and the reader's
// choice, kept in localStorage and sent to the API as Accept-Language.

const LANG_KEY = 'stockroom.lang';
const strings = { fr: {}, en: {} };

export function lang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

export function setLang(value) {
  localStorage.setItem(LANG_KEY, value === 'en' ? 'en' : 'fr');
  document.documentElement.lang = lang();
}

/** Adds a page's own words: `addStrings({fr: {...}, en: {...}})`. */
export function addStrings(more) {
  Object.assign(strings.fr, more.fr);
  Object.assign(strings.en, more.en);
}

/**
 * `t('cart.items', {n: 2})`: the sentence in the reader's language, `{n}`
 * filled in. A sentence that counts is written `{zero?, one, other}`: the
 * form follows `n` (French counts 0 as one, English as several).
 */
export function t(key, vars = {}) {
  let text = strings[lang()][key] ?? strings.fr[key] ?? key;
  if (typeof text === 'object') {
    const n = Number(vars.n);
    if (n === 0 && text.zero) text = text.zero;
    else if (n === 1 || (n === 0 && lang() === 'fr')) text = text.one;
    else text = text.other;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? ''));
}

/** Fills `data-i18n` (text), `data-i18n-label` (aria-label) and `data-i18n-placeholder`. */
export function translatePage(root = document) {
  document.documentElement.lang = lang();
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nLabel)));
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder)));
}

addStrings({
  fr: {
    'shop.staff': 'Espace boutique',
    'skip': 'Aller au contenu',
    'loading': 'Chargement…',
    'action.back': 'Retour',
    'action.close': 'Fermer',
    'action.refresh': 'Actualiser',
    'period.sameDay': '{day}, de {start} à {end}',
    'period.days': 'du {start} au {end}',
    'error.network': 'Connexion au serveur impossible. Vérifiez votre réseau puis réessayez.',
    'error.status': 'Le serveur a répondu par une erreur ({status}). Réessayez dans un instant.',
    'nav.shop': 'Boutique',
    'nav.orders': 'Mes commandes',
    'nav.cart': 'Panier',
    'nav.cartCount': { zero: 'Panier vide', one: 'Panier : 1 article', other: 'Panier : {n} articles' },
    'nav.main': 'Navigation principale',
    'notFound.title': 'Page introuvable',
    'home.point1': 'Stock en temps réel',
    'home.point2': 'Commande sans compte',
    'home.point3': 'Suivi de commande en ligne',
    'home.search': 'Rechercher un article',
    'home.searchPlaceholder': 'Rechercher une robe, une chemise…',
    'home.categories': 'Catégories',
    'home.all': 'Tout',
    'home.count': { zero: 'Aucun article affiché', one: '1 article affiché', other: '{n} articles affichés' },
    'home.noMatch': 'Aucun article ne correspond à votre recherche.',
    'price.instead': 'au lieu de',
    'product.soldOut': 'Rupture de stock',
    'product.photos': 'Photos de {title}',
    'product.showPhoto': 'Voir la photo {n} sur {total}',
    'product.photoOf': '{title}, photo {n} sur {total}',
    'product.sizes': 'Tailles :',
    'product.comingBack': 'Bientôt de retour',
    'product.notFoundTitle': 'Article introuvable',
    'product.breadcrumb': 'Fil d’Ariane',
    'product.color': 'Couleur',
    'product.size': 'Taille',
    'product.sizeSoldOut': 'épuisée',
    'product.fewLeft': { one: 'Plus qu’un article dans cette taille.', other: 'Plus que {n} articles dans cette taille.' },
    'product.quantity': 'Quantité',
    'product.add': 'Ajouter au panier',
    'product.pickSize': 'Choisissez une taille.',
    'product.added': 'Ajouté au panier : {title} (taille {size}) × {n}',
    'toast.stock': { zero: 'Cet article n’est plus disponible en taille {size}.', one: 'Stock insuffisant : il ne reste plus qu’un article en taille {size}.', other: 'Stock insuffisant : il ne reste plus que {n} articles en taille {size}.' },
    'cart.title': 'Votre panier',
    'cart.empty': 'Votre panier est vide.',
    'cart.browse': 'Découvrir la boutique',
    'cart.size': 'Taille',
    'cart.less': 'Un de moins',
    'cart.more': 'Un de plus',
    'cart.quantityOf': 'Quantité de {title}',
    'cart.remove': 'Retirer',
    'cart.summary': 'Récapitulatif',
    'cart.items': { one: '{n} article', other: '{n} articles' },
    'cart.total': 'Total',
    'cart.checkout': 'Commander',
    'cart.continue': 'Continuer mes achats',
    'cart.mustAdjust': 'Le stock a changé : certains articles ne sont plus disponibles dans la quantité demandée. Ajustez votre panier pour commander.',
    'cart.adjust': 'Ajuster mon panier au stock',
    'checkout.title': 'Vos coordonnées',
    'checkout.backToCart': 'Retour au panier',
    'checkout.details': 'Livraison',
    'checkout.place': 'Confirmer la commande',
    'checkout.sending': 'Envoi de la commande…',
    'checkout.payment': 'Pas de paiement en ligne : la boutique vous appelle pour confirmer la commande et la livraison.',
    'checkout.editCart': 'Modifier mon panier',
    'checkout.retry': 'Votre panier est conservé. Vous pouvez réessayer : la commande ne sera pas passée deux fois.',
    'checkout.left': 'Disponible : {n}',
    'form.optional': 'facultatif',
    'form.tooLong': 'Ce champ dépasse {max} caractères.',
    'form.name.label': 'Nom complet',
    'form.name.hint': 'Le nom pour la livraison.',
    'form.name.required': 'Indiquez votre nom.',
    'form.phone.label': 'Téléphone',
    'form.phone.hint': 'Exemple : 07 00 00 00 00 ou +225 07 00 00 00 00.',
    'form.phone.required': 'Indiquez votre numéro de téléphone.',
    'form.email.label': 'E-mail',
    'form.email.hint': 'Pour recevoir le récapitulatif.',
    'form.address.label': 'Adresse de livraison',
    'form.address.hint': 'Commune, quartier, repère. Laissez vide pour retirer en boutique.',
    'form.notes.label': 'Remarques',
    'form.notes.hint': 'Un horaire, un étage, une précision…',
    'confirm.title': 'Merci pour votre commande !',
    'confirm.number': 'Commande n°',
    'confirm.keep': 'Gardez ce numéro : la boutique vous appelle pour confirmer la livraison. Le lien ci-dessous vous permet de suivre votre commande.',
    'confirm.track': 'Suivre ma commande',
    'track.title': 'Suivi de commande',
    'track.status': 'Statut :',
    'track.cancelled': 'Cette commande a été annulée.',
    'track.pickup': 'Retrait en boutique.',
    'orders.none': 'Aucune commande passée depuis cet appareil.',
    'status.pending': 'En attente',
    'status.confirmed': 'Confirmée',
    'status.processing': 'En préparation',
    'status.shipped': 'Expédiée',
    'status.delivered': 'Livrée',
    'status.cancelled': 'Annulée',
    'status.returned': 'Retournée',
  },
  en: {
    'shop.staff': 'Staff area',
    'skip': 'Skip to content',
    'loading': 'Loading…',
    'action.back': 'Back',
    'action.close': 'Close',
    'action.refresh': 'Refresh',
    'period.sameDay': '{day}, {start} to {end}',
    'period.days': 'from {start} to {end}',
    'error.network': 'Cannot reach the server. Check your connection and try again.',
    'error.status': 'The server answered with an error ({status}). Please retry in a moment.',
    'nav.shop': 'Shop',
    'nav.orders': 'My orders',
    'nav.cart': 'Cart',
    'nav.cartCount': { zero: 'Cart: empty', one: 'Cart: 1 item', other: 'Cart: {n} items' },
    'nav.main': 'Main navigation',
    'notFound.title': 'Page not found',
    'home.point1': 'Live stock',
    'home.point2': 'No account needed',
    'home.point3': 'Track your order online',
    'home.search': 'Search the shop',
    'home.searchPlaceholder': 'Search for a dress, a shirt…',
    'home.categories': 'Categories',
    'home.all': 'All',
    'home.count': { zero: 'No item shown', one: '1 item shown', other: '{n} items shown' },
    'home.noMatch': 'Nothing matches your search.',
    'price.instead': 'instead of',
    'product.soldOut': 'Sold out',
    'product.photos': 'Photos of {title}',
    'product.showPhoto': 'Show photo {n} of {total}',
    'product.photoOf': '{title}, photo {n} of {total}',
    'product.sizes': 'Sizes:',
    'product.comingBack': 'Back soon',
    'product.notFoundTitle': 'Item not found',
    'product.breadcrumb': 'Breadcrumb',
    'product.color': 'Colour',
    'product.size': 'Size',
    'product.sizeSoldOut': 'sold out',
    'product.fewLeft': { one: 'Only one left in this size.', other: 'Only {n} left in this size.' },
    'product.quantity': 'Quantity',
    'product.add': 'Add to cart',
    'product.pickSize': 'Choose a size.',
    'product.added': 'Added to your cart: {title} (size {size}) × {n}',
    'toast.stock': { zero: 'This item is no longer available in size {size}.', one: 'Not enough stock: only one item is left in size {size}.', other: 'Not enough stock: only {n} items are left in size {size}.' },
    'cart.title': 'Your cart',
    'cart.empty': 'Your cart is empty.',
    'cart.browse': 'Browse the shop',
    'cart.size': 'Size',
    'cart.less': 'One less',
    'cart.more': 'One more',
    'cart.quantityOf': 'Quantity of {title}',
    'cart.remove': 'Remove',
    'cart.summary': 'Summary',
    'cart.items': { one: '{n} item', other: '{n} items' },
    'cart.total': 'Total',
    'cart.checkout': 'Checkout',
    'cart.continue': 'Continue shopping',
    'cart.mustAdjust': 'The stock has changed: some items are no longer available in the quantity you asked for. Adjust your cart to order.',
    'cart.adjust': 'Adjust my cart to the stock',
    'checkout.title': 'Your details',
    'checkout.backToCart': 'Back to the cart',
    'checkout.details': 'Delivery',
    'checkout.place': 'Place the order',
    'checkout.sending': 'Sending your order…',
    'checkout.payment': 'No online payment: the shop calls you to confirm the order and the delivery.',
    'checkout.editCart': 'Edit my cart',
    'checkout.retry': 'Your cart is kept. You can retry: the order will not be placed twice.',
    'checkout.left': 'Available: {n}',
    'form.optional': 'optional',
    'form.tooLong': 'This field is longer than {max} characters.',
    'form.name.label': 'Full name',
    'form.name.hint': 'The name for the delivery.',
    'form.name.required': 'Enter your name.',
    'form.phone.label': 'Phone',
    'form.phone.hint': 'For example 07 00 00 00 00 or +225 07 00 00 00 00.',
    'form.phone.required': 'Enter your phone number.',
    'form.email.label': 'E-mail',
    'form.email.hint': 'To receive the summary.',
    'form.address.label': 'Delivery address',
    'form.address.hint': 'District, street, landmark. Leave empty to pick up at the shop.',
    'form.notes.label': 'Notes',
    'form.notes.hint': 'A time, a floor, anything useful…',
    'confirm.title': 'Thank you for your order!',
    'confirm.number': 'Order no.',
    'confirm.keep': 'Keep this number: the shop will call you to confirm the delivery. The link below lets you follow your order.',
    'confirm.track': 'Follow my order',
    'track.title': 'Order tracking',
    'track.status': 'Status:',
    'track.cancelled': 'This order was cancelled.',
    'track.pickup': 'Pick-up at the shop.',
    'orders.none': 'No order placed from this device.',
    'status.pending': 'Pending',
    'status.confirmed': 'Confirmed',
    'status.processing': 'Being prepared',
    'status.shipped': 'Shipped',
    'status.delivered': 'Delivered',
    'status.cancelled': 'Cancelled',
    'status.returned': 'Returned',
  },
});
