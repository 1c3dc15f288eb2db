from oncall.entry import main

main()
