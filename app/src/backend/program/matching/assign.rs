//! The whole-cohort proposal: an assignment of mentees to mentors that maximises the total
//! score, each mentor taking at most their capacity. Each mentor is expanded into one column
//! per free place and the Kuhn-Munkres (Hungarian) algorithm from the `pathfinding` crate
//! solves the rectangular assignment. Scores are never negative (see `score`), so the optimum
//! also places as many mentees as there are places.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

/// `scores[i][j]`: mentee i with mentor j. `capacity[j]`: places mentor j has left.
/// Returns, for each mentee, the index of the mentor they get (None when places ran out),
/// and the total score.
pub fn assign(scores: &[Vec<i64>], capacity: &[i64]) -> (i64, Vec<Option<usize>>) {
    let mentees = scores.len();
    // One column per free place, remembering whose place it is.
    let slots: Vec<usize> = capacity
        .iter()
        .enumerate()
        .flat_map(|(j, &c)| std::iter::repeat_n(j, c.max(0) as usize))
        .collect();
    if mentees == 0 || slots.is_empty() {
        return (0, vec![None; mentees]);
    }
    let weight = |i: usize, slot: usize| scores[i][slots[slot]];
    let mut result = vec![None; mentees];
    // kuhn_munkres needs no more rows than columns: rows are whichever side is smaller.
    let total = if mentees <= slots.len() {
        let m = Matrix::from_fn(mentees, slots.len(), |(i, s)| weight(i, s));
        let (total, cols) = kuhn_munkres(&m);
        for (i, s) in cols.into_iter().enumerate() {
            result[i] = Some(slots[s]);
        }
        total
    } else {
        let m = Matrix::from_fn(slots.len(), mentees, |(s, i)| weight(i, s));
        let (total, rows) = kuhn_munkres(&m);
        for (s, i) in rows.into_iter().enumerate() {
            result[i] = Some(slots[s]);
        }
        total
    };
    (total, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// The best total over every way to give each mentee a mentor with room, or nobody.
    fn brute_force(scores: &[Vec<i64>], capacity: &mut [i64], i: usize) -> i64 {
        if i == scores.len() {
            return 0;
        }
        let mut best = brute_force(scores, capacity, i + 1);
        for j in 0..capacity.len() {
            if capacity[j] > 0 {
                capacity[j] -= 1;
                best = best.max(scores[i][j] + brute_force(scores, capacity, i + 1));
                capacity[j] += 1;
            }
        }
        best
    }

    fn check(scores: &[Vec<i64>], capacity: &[i64]) {
        let (total, assignment) = assign(scores, capacity);
        // The reported total is what the assignment really scores.
        let actual: i64 = assignment
            .iter()
            .enumerate()
            .filter_map(|(i, j)| j.map(|j| scores[i][j]))
            .sum();
        assert_eq!(total, actual);
        // No mentor over capacity.
        for (j, &cap) in capacity.iter().enumerate() {
            let given = assignment.iter().filter(|a| **a == Some(j)).count() as i64;
            assert!(given <= cap, "mentor {j} got {given} with capacity {cap}");
        }
        // Everyone placed who can be.
        let places: i64 = capacity.iter().sum();
        let placed = assignment.iter().filter(|a| a.is_some()).count() as i64;
        assert_eq!(placed, places.min(scores.len() as i64));
        // Optimal.
        let best = brute_force(scores, &mut capacity.to_vec(), 0);
        assert_eq!(total, best, "scores {scores:?} capacity {capacity:?}");
    }

    #[test]
    fn optimal_on_small_random_instances() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(20261129);
        for _ in 0..400 {
            let mentees = rng.gen_range(1..=6);
            let mentors = rng.gen_range(1..=4);
            let capacity: Vec<i64> = (0..mentors).map(|_| rng.gen_range(0..=3)).collect();
            let scores: Vec<Vec<i64>> = (0..mentees)
                .map(|_| (0..mentors).map(|_| rng.gen_range(0..=100)).collect())
                .collect();
            check(&scores, &capacity);
        }
    }

    #[test]
    fn greedy_is_not_enough() {
        // Greedy would give mentee 0 the mentor they score 10 with, leaving mentee 1 with 0.
        let scores = vec![vec![10, 9], vec![10, 0]];
        let (total, a) = assign(&scores, &[1, 1]);
        assert_eq!((total, a), (19, vec![Some(1), Some(0)]));
    }

    #[test]
    fn more_mentees_than_places_and_no_places() {
        check(&[vec![5], vec![7], vec![6]], &[2]);
        assert_eq!(assign(&[vec![5]], &[0]), (0, vec![None]));
        assert_eq!(assign(&[], &[2]), (0, vec![]));
    }
}
