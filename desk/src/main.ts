import { createApp } from "vue";
import App from "./App.vue";
import "./style.css";
import { interceptLinks } from "./router";

const el = document.getElementById("app")!;
interceptLinks(el);
createApp(App).mount(el);
