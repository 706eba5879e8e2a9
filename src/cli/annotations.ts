// GitHub Actions workflow commands, so `sdnb check --format github` puts findings on a pull request's
// diff: `::error file=docs/a.sdnb,line=12,col=5,title=…::message`. Escaping follows the runner's
// rules: in the message `%`, CR and LF are percent-encoded; in properties also `:` and `,`.

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  file: string;
  line: number;
  col: number;
  title?: string;
  message: string;
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(a: Annotation): string {
  const props = [`file=${escapeProperty(a.file)}`, `line=${a.line}`, `col=${a.col}`];
  if (a.title) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}
