declare global {
  interface Window {
    /** Where get-nonce looks (webpack's name): react-remove-scroll, under Mantine's modals and drawers, adds a <style> with it. */
    __webpack_nonce__?: string;
  }
}

/**
 * The Content-Security-Policy nonce the server wrote into the page as
 * `<meta property="csp-nonce" nonce="…">`, for the <style> elements the app creates at run time.
 *
 * Browsers blank the `nonce` attribute once the policy is in force (so CSS cannot read it) and keep
 * the value in the element's `nonce` property; the attribute is the fallback where the property is
 * missing. Undefined without the tag (the dev server sends no policy).
 */
export function cspNonce(doc: Document = document): string | undefined {
  const meta = doc.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  if (!meta) {
    return undefined;
  }
  return meta.nonce || meta.getAttribute("nonce") || undefined;
}

/** Hand the nonce to the libraries that read it from a global rather than take it as a prop. */
export function shareCspNonce(nonce: string | undefined, target: Window = window): void {
  if (nonce) {
    target.__webpack_nonce__ = nonce;
  }
}
