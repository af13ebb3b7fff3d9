// CCXT JS's client of the side-by-side run: ccxt.pro.binance with
// urls.api.public and urls.api.ws.spot pointed at the replay server, spot
// markets only, and a loop on watchOrderBook until the book reaches the last
// frame's update id; then one JSON line as replay.Result reads it.
//
//   node ccxtjs/client.mjs -addr 127.0.0.1:PORT -last ID -frames N
import { readFileSync } from 'node:fs';
import ccxt from 'ccxt';

const args = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) {
    args[process.argv[i].replace(/^-+/, '')] = process.argv[i + 1];
}
const addr = args.addr;
const last = Number(args.last);

const ex = new ccxt.pro.binance({
    // Deep-merged into the exchange's description: only these URLs change.
    urls: { api: { public: `http://${addr}/api/v3`, ws: { spot: `ws://${addr}/ws` } } },
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
});
// ccxt refuses a plain ws:// URL until its http agent is loaded (it takes
// one for a proxy): "to use proxy with non-ssl ws:// urls, at first run
// await exchange.loadHttpProxyAgent()".
await ex.loadHttpProxyAgent();
await ex.loadMarkets();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let ob;
while (ob === undefined || ob.nonce < last) {
    ob = await ex.watchOrderBook('BTC/USDT');
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const endUnixNano = BigInt(Date.now()) * 1000000n + process.hrtime.bigint() % 1000000n;
const cpu = process.cpuUsage(cpu0);
// VmHWM, as the Go clients read it (ru_maxrss would start from the driver's RSS).
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const levels = (ls) => ls.map(([p, a]) => [String(p), String(a)]);
process.stdout.write(JSON.stringify({
    client: 'ccxt-js',
    frames: Number(args.frames),
    seconds,
    endUnixNano: Number(endUnixNano),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssKB: hwm ? Number(hwm[1]) : 0,
    book: { lastUpdateId: ob.nonce, bids: levels(ob.bids), asks: levels(ob.asks) },
}) + '\n');
await ex.close();
process.exit(0);
