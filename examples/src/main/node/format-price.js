// Formats a price in cents for a locale and currency: node format-price.js CENTS CURRENCY [LOCALE]
const [cents, currency, locale = 'en-US'] = process.argv.slice(2);
const amount = Number(cents);
if (!Number.isInteger(amount) || !currency) {
  console.error(`usage: format-price.js CENTS CURRENCY [LOCALE]; got cents '${cents}', currency '${currency}'`);
  process.exit(2);
}
console.log(new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 100));
