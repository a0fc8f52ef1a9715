// Vite's module types (`?url` imports).
/// <reference types="vite/client" />
