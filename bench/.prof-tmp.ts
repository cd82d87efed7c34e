import { run } from './http-check.bench.ts';
console.log(JSON.stringify(await run()));
