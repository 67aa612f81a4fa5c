import { useEffect, useState } from "react";
import { ItemClock } from "../utils/item-clock";

/** A clock for the item on screen that stops while the tab is hidden. */
export function useItemClock(initialMs: number): ItemClock {
  const [clock] = useState(() => new ItemClock(initialMs, Date.now(), document.visibilityState !== "hidden"));
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === "hidden") {
        clock.pause(Date.now());
      } else {
        clock.resume(Date.now());
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, [clock]);
  return clock;
}
