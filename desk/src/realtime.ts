// Socket.IO to the site's namespace, as Frappe's desk does: the session cookie authenticates,
// and list/form views join the doctype and doc rooms they show.
import { io, Socket } from "socket.io-client";
import { boot } from "./boot";

let socket: Socket | null = null;
const doctypeRooms = new Map<string, number>();
const docRooms = new Map<string, number>();

export function getSocket(): Socket {
  if (!socket) {
    // WebSocket first: its handshake always carries Origin, which the realtime server checks
    // against Host (as Frappe's does). A same-origin polling GET has no Origin in Chromium, so
    // polling first is refused unless a proxy adds the header (frappe_docker's nginx does).
    socket = io(`${location.origin}/${boot.sitename}`, {
      path: "/socket.io",
      withCredentials: true,
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 5000,
    });
    // A reconnect starts a new server-side socket: join the rooms again.
    socket.on("connect", () => {
      for (const dt of doctypeRooms.keys()) socket!.emit("doctype_subscribe", dt);
      for (const key of docRooms.keys()) {
        const [dt, name] = JSON.parse(key);
        socket!.emit("doc_subscribe", dt, name);
      }
    });
  }
  return socket;
}

export function subscribeDoctype(doctype: string, handler: (data: any) => void): () => void {
  const s = getSocket();
  doctypeRooms.set(doctype, (doctypeRooms.get(doctype) || 0) + 1);
  if (s.connected) s.emit("doctype_subscribe", doctype);
  const h = (data: any) => {
    if (data?.doctype === doctype) handler(data);
  };
  s.on("list_update", h);
  return () => {
    s.off("list_update", h);
    const n = (doctypeRooms.get(doctype) || 1) - 1;
    if (n <= 0) {
      doctypeRooms.delete(doctype);
      s.emit("doctype_unsubscribe", doctype);
    } else doctypeRooms.set(doctype, n);
  };
}

export function subscribeDoc(doctype: string, name: string, handler: (data: any) => void): () => void {
  const s = getSocket();
  const key = JSON.stringify([doctype, name]);
  docRooms.set(key, (docRooms.get(key) || 0) + 1);
  if (s.connected) s.emit("doc_subscribe", doctype, name);
  const h = (data: any) => {
    if (data?.doctype === doctype && data?.name === name) handler(data);
  };
  s.on("doc_update", h);
  return () => {
    s.off("doc_update", h);
    const n = (docRooms.get(key) || 1) - 1;
    if (n <= 0) {
      docRooms.delete(key);
      s.emit("doc_unsubscribe", doctype, name);
    } else docRooms.set(key, n);
  };
}
