"""Compare in the playground: the columns in this session (state.py), drawing them (view.py)
and the diff of two finished columns (diff_view.py). The pure core is lib/compare."""
