import { afterEach, describe, expect, it, vi } from "vitest";
import { svgDataUrl, svgSize, svgToPng } from "./png";

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150"><text>α &amp; β</text></svg>';

/** An <img> stand-in that "loads" (or fails) as soon as its src is set, as jsdom loads nothing. */
function stubImage(outcome: "load" | "error") {
  const images: { src: string }[] = [];
  class FakeImage {
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    private source = "";
    get src() {
      return this.source;
    }
    set src(value: string) {
      this.source = value;
      images.push(this);
      queueMicrotask(() => (outcome === "load" ? this.onload?.() : this.onerror?.()));
    }
  }
  vi.stubGlobal("Image", FakeImage);
  return images;
}

function stubCanvas(blob: Blob | null = new Blob(["png"], { type: "image/png" })) {
  const context = { fillStyle: "", fillRect: vi.fn(), drawImage: vi.fn() };
  const canvases: HTMLCanvasElement[] = [];
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(function (this: HTMLCanvasElement) {
    canvases.push(this);
    return context as unknown as CanvasRenderingContext2D;
  });
  const toBlob = vi.spyOn(HTMLCanvasElement.prototype, "toBlob").mockImplementation((callback) => callback(blob));
  return { context, canvases, toBlob };
}

describe("svgSize", () => {
  it("reads width and height, else the viewBox", () => {
    expect(svgSize(SVG)).toEqual({ width: 300, height: 150 });
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 480"/>')).toEqual({ width: 640, height: 480 });
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" width="200px" height="100px"/>')).toEqual({ width: 200, height: 100 });
  });

  it("refuses documents that are not a sized SVG", () => {
    expect(() => svgSize('<svg xmlns="http://www.w3.org/2000/svg"/>')).toThrow("The SVG image has no size.");
    expect(() => svgSize("<html></html>")).toThrow();
  });
});

describe("svgDataUrl", () => {
  it("encodes the document so any character survives", () => {
    const url = svgDataUrl(SVG);
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(",") + 1))).toBe(SVG);
  });
});

describe("svgToPng", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("draws the SVG at the given scale over the background and encodes a PNG", async () => {
    const images = stubImage("load");
    const { context, canvases, toBlob } = stubCanvas();

    const blob = await svgToPng(SVG, { scale: 2, background: "#fff" });

    expect(blob.type).toBe("image/png");
    expect(images[0]?.src).toBe(svgDataUrl(SVG));
    expect([canvases[0]?.width, canvases[0]?.height]).toEqual([600, 300]);
    expect(context.fillStyle).toBe("#fff");
    expect(context.fillRect).toHaveBeenCalledWith(0, 0, 600, 300);
    expect(context.drawImage).toHaveBeenCalledWith(images[0], 0, 0, 600, 300);
    expect(context.fillRect.mock.invocationCallOrder[0]).toBeLessThan(context.drawImage.mock.invocationCallOrder[0] ?? 0);
    expect(toBlob.mock.calls[0]?.[1]).toBe("image/png");
  });

  it("fails when the image cannot be drawn or encoded", async () => {
    stubImage("error");
    stubCanvas();
    await expect(svgToPng(SVG)).rejects.toThrow("Could not draw the chart as an image.");

    stubImage("load");
    stubCanvas(null);
    await expect(svgToPng(SVG)).rejects.toThrow("Could not encode the PNG image.");
  });
});
