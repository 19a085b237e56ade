import { reactive } from "vue";

let next = 1;
export const toast = reactive<{ list: { id: number; text: string }[] }>({ list: [] });

export function showToast(text: string) {
  const id = next++;
  toast.list.push({ id, text });
  setTimeout(() => {
    const i = toast.list.findIndex((t) => t.id === id);
    if (i >= 0) toast.list.splice(i, 1);
  }, 3000);
}
