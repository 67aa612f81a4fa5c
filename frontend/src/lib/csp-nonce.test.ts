import { describe, expect, it } from "vitest";
import { cspNonce, shareCspNonce } from "./csp-nonce";

function page(head: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><html><head>${head}</head><body></body></html>`, "text/html");
}

describe("cspNonce", () => {
  it("reads the nonce the server put in the csp-nonce meta tag", () => {
    expect(cspNonce(page('<meta property="csp-nonce" nonce="r4nd0m+/=" />'))).toBe("r4nd0m+/=");
  });

  it("is undefined when the page carries no nonce", () => {
    expect(cspNonce(page('<meta charset="utf-8" />'))).toBeUndefined();
    expect(cspNonce(page('<meta property="csp-nonce" nonce="" />'))).toBeUndefined();
  });
});

describe("shareCspNonce", () => {
  it("publishes the nonce under the global name style libraries read", () => {
    const target = {} as Window;
    shareCspNonce("r4nd0m", target);
    expect(target.__webpack_nonce__).toBe("r4nd0m");
  });

  it("publishes nothing without a nonce", () => {
    const target = {} as Window;
    shareCspNonce(undefined, target);
    expect(target).not.toHaveProperty("__webpack_nonce__");
  });
});
