import { clientNetwork } from "../src/http/clientNetwork";

// The WebSocket per-address limit (LIVE_MAX_CONNECTIONS_PER_ADDRESS, tested end to end over IPv4 in
// liveBounds.test.ts) counts an IPv6 client by its /64: one host picks any of 2^64 addresses in it,
// so counting single addresses let it open connections without bound. Loopback gives a test one IPv6
// address, so the grouping itself is checked here.
describe("the network a per-client limit counts an address under", () => {
  test("addresses in one IPv6 /64 count as one client, another /64 as another", () => {
    const a = clientNetwork("2001:db8:1:2:3:4:5:6");
    expect(clientNetwork("2001:db8:1:2::9")).toBe(a);
    expect(clientNetwork("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe(a);
    expect(clientNetwork("2001:db8:1:3::9")).not.toBe(a);
  });

  test("IPv4 addresses count one by one, IPv4-mapped IPv6 as the IPv4 address", () => {
    expect(clientNetwork("203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("203.0.113.8")).not.toBe(clientNetwork("203.0.113.7"));
  });

  test("an address that does not parse is counted as written", () => {
    expect(clientNetwork("")).toBe("");
    expect(clientNetwork("not an address")).toBe("not an address");
  });
});
