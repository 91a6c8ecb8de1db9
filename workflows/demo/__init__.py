"""示范案例: cases of every flow waiting at every human step of the demo district (`load_demo_cases`)."""
