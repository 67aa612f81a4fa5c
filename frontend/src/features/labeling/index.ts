/** The labeling feature's public surface, for other features and routes. */
export { LabelButton } from "./components/label-button";
export { LabelingScreen } from "./components/labeling-screen";
