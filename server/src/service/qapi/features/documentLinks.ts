// Include paths are links to the files they name.
import type { DocumentLink } from 'vscode-languageserver-types';
import { pathToUri } from '../../common/paths';
import type { SchemaCheck } from '../model';

export function documentLinks(check: SchemaCheck, path: string): DocumentLink[] {
  return check.model.includes
    .filter((inc) => inc.span.path === path)
    .map((inc) => ({ range: inc.span.range, target: pathToUri(inc.target), tooltip: inc.target }));
}
