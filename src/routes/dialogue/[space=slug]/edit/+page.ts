// The editor needs client code (TipTap); without it, the form still posts plain HTML.
export const csr = true;
