import { createBrowserRouter, RouterProvider } from "react-router";
import { routes } from "./route-config";

const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
