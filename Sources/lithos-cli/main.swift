import Lithos
print(MaterialDatabase.all.count)
