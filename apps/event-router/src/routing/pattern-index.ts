/*
 * The pattern index: a trie over subject tokens, so matching a message costs about the depth of its
 * subject, not one test per subscription. Patterns use `*` (one token), `#` (zero or more, AMQP) and `>`
 * (one or more at the end, NATS); see `patternMatches` in @matrix/contracts, which the index agrees with.
 */

class Node<T> {
  readonly children = new Map<string, Node<T>>();
  star?: Node<T>;
  hash?: Node<T>;
  /** Values of patterns that end here. */
  readonly here = new Set<T>();
  /** Values of patterns that end here with `>`. */
  readonly tail = new Set<T>();
}

export class PatternIndex<T> {
  private readonly root = new Node<T>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(pattern: string, value: T): void {
    let node = this.root;
    const tokens = pattern.split('.');
    for (const [i, token] of tokens.entries()) {
      if (token === '>' && i === tokens.length - 1) {
        node.tail.add(value);
        this.count++;
        return;
      }
      if (token === '*') node = node.star ??= new Node<T>();
      else if (token === '#') node = node.hash ??= new Node<T>();
      else {
        let child = node.children.get(token);
        if (!child) node.children.set(token, (child = new Node<T>()));
        node = child;
      }
    }
    node.here.add(value);
    this.count++;
  }

  /** Every value whose pattern matches `subject`, each once. */
  match(subject: string): Set<T> {
    const found = new Set<T>();
    this.walk(this.root, subject.split('.'), 0, found);
    return found;
  }

  private walk(node: Node<T>, tokens: readonly string[], i: number, found: Set<T>): void {
    if (node.hash) for (let k = i; k <= tokens.length; k++) this.walk(node.hash, tokens, k, found);
    if (i === tokens.length) {
      for (const value of node.here) found.add(value);
      return;
    }
    for (const value of node.tail) found.add(value);
    const child = node.children.get(tokens[i]!);
    if (child) this.walk(child, tokens, i + 1, found);
    if (node.star) this.walk(node.star, tokens, i + 1, found);
  }
}
