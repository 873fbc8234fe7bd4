#!/usr/bin/env python3
"""Ce que pèse chaque partie d'un module WebAssembly, compressé.

Usage :
    cargo build --profile app-release --target wasm32-unknown-unknown --bin panier-web
    python3 tools/wasm-size.py target/wasm32-unknown-unknown/app-release/panier-web.wasm

Le module doit garder sa section des noms (avant `wasm-bindgen` et `wasm-opt`).
Le corps de chaque fonction est rangé dans un groupe d'après son nom (la caisse
qui l'a produit), chaque groupe est compressé à part (zlib, niveau 9), puis les
tailles sont mises à l'échelle pour que leur somme fasse le module compressé
entier : une estimation de ce que chaque groupe coûte au téléchargement.
"""
import collections
import sys
import zlib

# Groupes, dans l'ordre où ils sont cherchés dans le nom de la fonction : les
# instanciations des traits de Leptos pour nos vues comptent pour Leptos.
GROUPS = [
    ('Leptos', ('tachys', 'reactive_graph', 'leptos', 'any_spawner', 'send_wrapper', 'or_poisoned')),
    ('vues de Panier', ('panier_web',)),
    ('cœur', ('panier_core',)),
    ('serde, postcard', ('serde', 'postcard')),
    ('graphiques', ('plotters', 'panier_charts')),
    ('liaisons JS', ('js_sys', 'web_sys', 'wasm_bindgen')),
]


def leb128(data, i):
    """Entier LEB128 non signé à la position `i` : (valeur, position suivante)."""
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def read_module(data):
    """Corps des fonctions, nombre de fonctions importées, noms, données."""
    i, bodies, names, imported, segment = 8, [], {}, 0, b''
    while i < len(data):
        section = data[i]
        size, i = leb128(data, i + 1)
        body, i = data[i:i + size], i + size
        if section == 2:  # imports : seules les fonctions décalent les index
            count, j = leb128(body, 0)
            for _ in range(count):
                for _ in range(2):  # module, nom
                    length, j = leb128(body, j)
                    j += length
                kind, j = body[j], j + 1
                if kind == 0:
                    _, j = leb128(body, j)
                    imported += 1
                elif kind in (1, 2):  # table, mémoire : limites
                    if kind == 1:
                        j += 1
                    flags, j = body[j], j + 1
                    _, j = leb128(body, j)
                    if flags & 1:
                        _, j = leb128(body, j)
                elif kind == 3:  # global
                    j += 2
        elif section == 10:
            count, j = leb128(body, 0)
            for _ in range(count):
                length, j = leb128(body, j)
                bodies.append(body[j:j + length])
                j += length
        elif section == 11:
            segment = body
        elif section == 0:
            length, j = leb128(body, 0)
            if body[j:j + length] == b'name':
                j += length
                while j < len(body):
                    kind, size = body[j], None
                    size, j = leb128(body, j + 1)
                    end = j + size
                    if kind == 1:  # noms des fonctions
                        count, k = leb128(body, j)
                        for _ in range(count):
                            index, k = leb128(body, k)
                            length, k = leb128(body, k)
                            names[index] = body[k:k + length].decode('utf8', 'replace')
                            k += length
                    j = end
    return bodies, imported, names, segment


def group(name):
    for label, needles in GROUPS:
        if any(needle in name for needle in needles):
            return label
    return 'bibliothèque standard, fermetures, allocateur'


def main():
    bodies, imported, names, segment = read_module(open(sys.argv[1], 'rb').read())
    if not names:
        sys.exit('pas de section des noms : prendre le module avant wasm-bindgen et wasm-opt')
    groups = collections.defaultdict(list)
    for index, body in enumerate(bodies):
        groups[group(names.get(index + imported, ''))].append(body)
    groups['données (textes, tables)'] = [segment]
    whole = len(zlib.compress(b''.join(bodies) + segment, 9))
    packed = {label: len(zlib.compress(b''.join(parts), 9)) for label, parts in groups.items()}
    scale = whole / sum(packed.values())
    print(f'module compressé : {whole:,} o')
    print('| groupe | brut | compressé (à l\'échelle) |')
    print('|---|---|---|')
    for label, size in sorted(packed.items(), key=lambda item: -item[1]):
        raw = sum(map(len, groups[label]))
        print(f'| {label} | {raw / 1000:.0f} Ko | {size * scale / 1000:.0f} Ko |')


if __name__ == '__main__':
    main()
