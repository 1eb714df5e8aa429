// Adds its arguments; a non-number fails with exit code 3.
const numbers = process.argv.slice(2).map(Number);
if (numbers.some(Number.isNaN)) {
  console.error("not a number: " + process.argv.slice(2).join(" "));
  process.exit(3);
}
console.log(numbers.reduce((a, b) => a + b, 0));
