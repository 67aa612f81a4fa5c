/**
 * Charts render as SVG; a PNG is drawn from that SVG through an <img> onto a canvas, so the
 * export needs no server and no second renderer.
 */

export interface SvgSize {
  width: number;
  height: number;
}

function length(value: string | null): number | null {
  const number = value === null ? Number.NaN : parseFloat(value);
  return Number.isFinite(number) && number > 0 ? number : null;
}

/** The drawing size of an SVG document: its width and height, else its viewBox. */
export function svgSize(svg: string): SvgSize {
  const root = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  if (root.nodeName !== "svg") {
    throw new Error("Not an SVG image.");
  }
  const [, , boxWidth, boxHeight] = (root.getAttribute("viewBox") ?? "").split(/[\s,]+/).map((part) => length(part));
  const width = length(root.getAttribute("width")) ?? boxWidth ?? null;
  const height = length(root.getAttribute("height")) ?? boxHeight ?? null;
  if (width === null || height === null) {
    throw new Error("The SVG image has no size.");
  }
  return { width, height };
}

/** A data URL rather than a blob URL: nothing to revoke, and an <img> loads it the same. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

interface PngOptions {
  /** Pixels per SVG unit; 2 keeps text sharp on slides. */
  scale?: number;
  /** The SVG is transparent where nothing is drawn; PNG viewers would show it black or checkered. */
  background?: string;
}

export function svgToPng(svg: string, { scale = 2, background = "#ffffff" }: PngOptions = {}): Promise<Blob> {
  const { width, height } = svgSize(svg);
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const context = canvas.getContext("2d");
      if (!context) {
        reject(new Error("This browser cannot draw images."));
        return;
      }
      context.fillStyle = background;
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("Could not encode the PNG image."))), "image/png");
    };
    image.onerror = () => reject(new Error("Could not draw the chart as an image."));
    image.src = svgDataUrl(svg);
  });
}
