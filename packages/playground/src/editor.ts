// The editor: CodeMirror 6 with its XML language (colours, folding, tag closing, completion) and
// lint (gutter markers, underlines, the problems panel). Loaded lazily by main.ts after the first
// paint: until it arrives, the page's plain <textarea> is the editor, and it stays one if this chunk
// cannot load. The page computes the problems (XML, model, libvirt's schema) and pushes them here.
import { EditorView, basicSetup } from 'codemirror'
import { EditorState, type Text } from '@codemirror/state'
import { xml, type ElementSpec } from '@codemirror/lang-xml'
import { lintGutter, openLintPanel, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { tags } from '@lezer/highlight'
// Element and attribute names (and enumerated values) from libvirt's schema: scripts/completion.ts.
import schemaElements from './schema-completion.json' with { type: 'json' }

// Colours with a contrast of at least 4.5:1 on white and on the active line (WCAG AA; CodeMirror's
// default style has lighter ones, e.g. its red for invalid text).
const colours = HighlightStyle.define([
  { tag: [tags.tagName, tags.angleBracket], color: '#116329' },
  { tag: tags.attributeName, color: '#5a32a3' },
  { tag: tags.attributeValue, color: '#a31515' },
  { tag: [tags.comment, tags.processingInstruction, tags.documentMeta], color: '#57606a', fontStyle: 'italic' },
  { tag: [tags.character, tags.string], color: '#953800' },
  { tag: tags.invalid, color: '#b3261e', textDecoration: 'underline' },
])

/** A problem at a line and column (both 1-based; columns count code points, as virtuned's errors do). */
export interface Problem {
  readonly line: number
  readonly column: number
  readonly severity: 'error' | 'warning' | 'info'
  /** Who found it: `XML`, `virtuned`, `libvirt schema`. */
  readonly source: string
  readonly message: string
}

export interface Editor {
  readonly view: EditorView
  text(): string
  setText(text: string): void
  setProblems(problems: readonly Problem[]): void
  /** Put the caret at a line and column and focus the editor. */
  focusAt(line: number, column: number): void
  /** The caret's line and column (1-based, code points). */
  caret(): { line: number; column: number }
}

/** The UTF-16 offset of a line and code-point column, clamped to the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines))
  let offset = l.from
  let left = Math.max(0, column - 1)
  for (const ch of l.text) {
    if (left-- <= 0) break
    offset += ch.length
  }
  return Math.min(offset, l.to)
}

export interface EditorOptions {
  readonly text: string
  readonly label: string
  readonly onChange: (text: string) => void
  /** Element descriptions for completion; default: libvirt's domain schema's. */
  readonly elements?: readonly ElementSpec[]
}

export function createEditor(parent: HTMLElement, options: EditorOptions): Editor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        syntaxHighlighting(colours),
        basicSetup,
        xml({ elements: options.elements ?? (schemaElements as readonly ElementSpec[]) }),
        lintGutter(),
        EditorView.contentAttributes.of({ 'aria-label': options.label }),
        EditorView.updateListener.of((update) => { if (update.docChanged) options.onChange(update.state.doc.toString()) }),
        EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { overflow: 'auto' } }),
      ],
    }),
  })
  let panelOpen = false
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } })
    },
    setProblems(problems) {
      const doc = view.state.doc
      const diagnostics: Diagnostic[] = problems.map((p) => {
        const from = offsetOf(doc, p.line, p.column)
        // Underline to the end of the token (a tag name, an attribute), at least one character.
        const line = doc.lineAt(from)
        const rest = /^<?\/?[^\s<>/='"]*/.exec(line.text.slice(from - line.from))?.[0].length ?? 0
        return { from, to: Math.min(line.to, from + Math.max(1, rest)), severity: p.severity, source: p.source, message: p.message }
      })
      view.dispatch(setDiagnostics(view.state, diagnostics))
      // The problems panel opens with the first problem; afterwards the user decides (Ctrl-Shift-m).
      if (diagnostics.length > 0 && !panelOpen) { panelOpen = true; openLintPanel(view) }
    },
    focusAt(line, column) {
      const at = offsetOf(view.state.doc, line, column)
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true })
      view.focus()
    },
    caret() {
      const head = view.state.selection.main.head
      const line = view.state.doc.lineAt(head)
      return { line: line.number, column: [...line.text.slice(0, head - line.from)].length + 1 }
    },
  }
}
