//! Listes de paniers (« tidlists ») : pour un itemset, les numéros triés des
//! paniers qui le contiennent. Le support est leur longueur ; celui d'une
//! union, la longueur de l'intersection.

/// Intersection de deux listes triées. Quand l'une est bien plus courte,
/// chaque élément est cherché par dichotomie progressive dans l'autre.
pub fn intersect(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    out.clear();
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return;
    }
    if long.len() / short.len() >= 16 {
        let mut rest = long;
        for &x in short {
            let at = rest.partition_point(|&y| y < x);
            if at == rest.len() {
                break;
            }
            if rest[at] == x {
                out.push(x);
            }
            rest = &rest[at..];
        }
        return;
    }
    let (mut i, mut j) = (0, 0);
    while i < short.len() && j < long.len() {
        let (x, y) = (short[i], long[j]);
        if x == y {
            out.push(x);
            i += 1;
            j += 1;
        } else if x < y {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// La liste de chaque article : `tidlists[article]`.
pub fn tidlists(transactions: &[Vec<u32>], items: usize) -> Vec<Vec<u32>> {
    // Chaque liste allouée d'emblée à sa longueur (un premier passage
    // compte) : aucune réallocation pendant le remplissage.
    let mut lengths = vec![0usize; items];
    for &item in transactions.iter().flatten() {
        lengths[item as usize] += 1;
    }
    let mut lists: Vec<Vec<u32>> = lengths.into_iter().map(Vec::with_capacity).collect();
    for (tid, basket) in transactions.iter().enumerate() {
        for &item in basket {
            lists[item as usize].push(tid as u32);
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersections_agree_in_both_strategies() {
        let a: Vec<u32> = (0..1000).filter(|x| x % 3 == 0).collect();
        let b = vec![3, 4, 9, 10, 999];
        let mut out = Vec::new();
        intersect(&a, &b, &mut out);
        assert_eq!(out, [3, 9, 999]);
        intersect(&b, &a, &mut out);
        assert_eq!(out, [3, 9, 999]);
        let c: Vec<u32> = (0..1000).filter(|x| x % 2 == 0).collect();
        intersect(&a, &c, &mut out);
        assert_eq!(out.len(), (0..1000).filter(|x| x % 6 == 0).count());
        intersect(&a, &[], &mut out);
        assert!(out.is_empty());
    }
}
