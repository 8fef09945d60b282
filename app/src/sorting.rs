//! One stable sort for the whole app. Each `sort_by` with its own closure
//! compiles its own copy of the standard library's sort (2–4 KB of wasm
//! apiece, nine of them once); here every sort goes through [`order`], one
//! non-generic function, so the wasm holds a single copy.

use std::cmp::Ordering;

/// The indices `0..len`, stably ordered by `compare` on indices.
#[inline(never)]
pub fn order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..len).collect();
    indices.sort_by(|&a, &b| compare(a, b));
    indices
}

/// Sorts `items` stably by `compare`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = order(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, &order);
}

/// Sorts `items` stably by a key computed once per item (not once per
/// comparison, which matters for keys such as lower-cased names).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = order(items.len(), &|a, b| keys[a].cmp(&keys[b]));
    permute(items, &order);
}

/// Rearranges `items` so that the new `i`th item is the old `order[i]`th.
fn permute<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&i| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_is_stable_and_by_the_given_order() {
        let mut words = vec!["pear", "Fig", "apple", "fig", "Apple", "kiwi"];
        sort_by_key(&mut words, |w| w.to_lowercase());
        assert_eq!(words, ["apple", "Apple", "Fig", "fig", "kiwi", "pear"]);
        sort_by(&mut words, |a, b| b.len().cmp(&a.len()));
        assert_eq!(words, ["apple", "Apple", "kiwi", "pear", "Fig", "fig"]);
    }

    #[test]
    fn order_ranks_indices() {
        let values = [30, 10, 20, 10];
        let ranked = order(values.len(), &|a, b| values[a].cmp(&values[b]));
        assert_eq!(ranked, [1, 3, 2, 0]);
    }
}
