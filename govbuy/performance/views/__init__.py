"""Pages of performance evaluation: public (survey answers, published results) and staff."""
